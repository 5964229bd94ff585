import type { FastifyReply } from 'fastify';

/**
 * A signal that fires when the client goes away before the response is
 * complete, so a model stops generating for nobody. It listens on the
 * response: the request's own `close` fires as soon as its body is read.
 */
export function abortOnDisconnect(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client disconnected'));
  });
  return controller.signal;
}
