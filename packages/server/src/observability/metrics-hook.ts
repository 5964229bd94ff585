import type { FastifyInstance } from 'fastify';
import type { HttpMetrics } from './metrics.js';

/**
 * Counts on the raw response's `close`, which fires for every request:
 * replies, errors, hijacked streams and clients that hang up.
 */
export function installMetrics(app: FastifyInstance, metrics: HttpMetrics): void {
  app.addHook('onRequest', (request, reply, done) => {
    const started = process.hrtime.bigint();
    metrics.start();
    reply.raw.once('close', () => {
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.finish(request.method, route, reply.raw.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    done();
  });
}
