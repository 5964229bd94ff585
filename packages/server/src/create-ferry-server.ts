import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { fromZodError, type FerryHost } from '@ferry/core';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { z } from 'zod';
import { AuditLog } from './audit/audit-log.js';
import { ADMIN_SCOPE, ApiKeyStore } from './auth/api-keys.js';
import { installSecurity } from './auth/security-hook.js';
import { parseRouteInput, type FerryRouteDefinition } from './http/define-route.js';
import { HttpError, toErrorResponse } from './http/http-error.js';
import { jsonDepth } from './http/json-depth.js';
import { loggerOptions, redactText } from './observability/log-redaction.js';
import { HttpMetrics } from './observability/metrics.js';
import { installMetrics } from './observability/metrics-hook.js';
import { runChecks, type NamedCheck } from './observability/readiness.js';
import { chatCompletionsRoute } from './openai/chat-completions.js';
import { embeddingsRoute } from './openai/embeddings.js';
import { directModelSource, hostModelSource, type ModelSource } from './openai/model-source.js';
import { modelsRoute } from './openai/models.js';
import { RedisRateLimitStore } from './rate-limit/redis-rate-limit-store.js';
import { MemoryRateLimitStore } from './rate-limit/token-bucket.js';
import { ferryServerOptionsSchema, type FerryServerOptions } from './server-options.js';
import { openSessionStore } from './sessions/open-session-store.js';
import type { SessionStore } from './sessions/session-store.js';

/** Scopes of the built-in routes. */
export const SCOPES = { chat: 'chat', embeddings: 'embeddings', models: 'models', admin: ADMIN_SCOPE } as const;

export interface FerryServer {
  /** The fastify instance, for anything the helpers below do not cover (`server.fastify.route(...)`). */
  readonly fastify: FastifyInstance;
  readonly host: FerryHost | undefined;
  readonly sessions: SessionStore | undefined;
  readonly audit: AuditLog | undefined;
  readonly metrics: HttpMetrics;
  /** True from the moment close() starts. */
  readonly closing: boolean;
  /** Registers a route made with defineRoute(); call before listen(). */
  route<B extends z.ZodType, Q extends z.ZodType>(definition: FerryRouteDefinition<B, Q>): this;
  addReadinessCheck(name: string, check: NamedCheck['check']): this;
  /** Starts listening (default 127.0.0.1, port 0 = any free one) and returns the base URL. */
  listen(options?: { port?: number; host?: string }): Promise<string>;
  /** Stops accepting, lets in-flight requests finish, then releases the sessions, audit log and host. */
  close(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function createFerryServer(options: FerryServerOptions): Promise<FerryServer> {
  const parsed = ferryServerOptionsSchema.safeParse(options);
  if (!parsed.success) throw fromZodError('CONFIG_INVALID', parsed.error, { what: 'createFerryServer options' });
  const o = parsed.data;

  const keys =
    o.auth === false
      ? undefined
      : new ApiKeyStore([
          ...(o.auth.keysFile ? (await ApiKeyStore.fromFile(o.auth.keysFile)).records() : []),
          ...o.auth.records,
          ...(await ApiKeyStore.fromPlainKeys(o.auth.keys)).records(),
        ]);
  const audit = o.audit ? new AuditLog(o.audit.path) : undefined;
  let sessions: { store: SessionStore; owned: boolean } | undefined;
  try {
    sessions = o.sessions ? await openSessionStore(o.sessions) : undefined;
  } catch (error) {
    await audit?.close();
    throw error;
  }

  let closing = false;
  const fastify = Fastify({
    logger: o.logger === false ? false : loggerOptions({ level: o.logger.level, stream: o.logger.stream }),
    bodyLimit: o.bodyLimit,
    trustProxy: o.trustProxy,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      // The id goes into every log line as a pino binding, which the redacting formatter does not
      // see; so an id that looks like PII (a phone number, a card) is replaced, not echoed.
      return typeof given === 'string' && REQUEST_ID.test(given) && redactText(given) === given ? given : randomUUID();
    },
    // Errors fastify raises before routing (a malformed URL such as "/%zz") bypass the error
    // handler; without this they answer in fastify's own shape, not Ferry's.
    frameworkErrors: (error, request, reply) => {
      const { status, body, headers } = toErrorResponse(error, request.id);
      request.log.info({ code: body.error.code, status }, 'request refused');
      void (reply as FastifyReply).code(status).headers({ ...headers, 'x-request-id': request.id }).send(body);
    },
  });

  if (o.auth === false) fastify.log.warn('authentication is off (auth: false): every route is open; use this for local development only');
  const metrics = new HttpMetrics();
  installMetrics(fastify, metrics);
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
  });

  const defaultJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(new HttpError(400, 'INPUT_INVALID', 'the JSON body is not valid UTF-8', 'Encode the body as UTF-8.', 'body'), undefined);
      return;
    }
    if (jsonDepth(text, o.maxJsonDepth) > o.maxJsonDepth) {
      done(new HttpError(400, 'INPUT_INVALID', `the JSON body is nested deeper than ${o.maxJsonDepth} levels`, 'Flatten the body; no endpoint needs that depth.', 'body'), undefined);
      return;
    }
    defaultJson(request, text, done);
  });

  const redisLimits =
    o.rateLimit !== false && o.rateLimit.redisUrl
      ? new RedisRateLimitStore({ url: o.rateLimit.redisUrl, onError: (error) => fastify.log.warn({ err: error }, 'rate-limit store unreachable; letting the request through') })
      : undefined;
  installSecurity(fastify, {
    keys,
    audit,
    rateLimit:
      o.rateLimit === false ? undefined : { store: redisLimits ?? o.rateLimit.store ?? new MemoryRateLimitStore(), perIp: o.rateLimit.perIp, perKey: o.rateLimit.perKey, perIpKeyChecks: o.rateLimit.perIpKeyChecks },
  });
  if (audit && o.audit?.requests) {
    fastify.addHook('onResponse', async (request, reply) => {
      // Refusals are already audited by the security hook.
      if (request.apiKey && ![401, 403, 429].includes(reply.statusCode)) {
        await audit
          .append('request', { requestId: request.id, keyId: request.apiKey.id, method: request.method, route: request.routeOptions.url ?? null, status: reply.statusCode })
          .catch((error: unknown) => request.log.error({ err: error }, 'audit log write failed'));
      }
    });
  }

  fastify.setErrorHandler((error, request, reply) => {
    const { status, body, headers } = toErrorResponse(error, request.id);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.error.code, status }, 'request refused');
    return reply.code(status).headers(headers).send(body);
  });
  fastify.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}`, hint: 'Check the method and path.', requestId: request.id } }),
  );

  const checks: NamedCheck[] = [...o.readiness];
  if (sessions) checks.push({ name: `sessions:${sessions.store.kind}`, check: () => sessions!.store.ping() });
  const models: ModelSource | undefined = o.host ? hostModelSource(o.host) : o.models ? directModelSource(o.models) : undefined;
  for (const { task, model } of o.readyModels) {
    checks.push({
      name: `model:${model}`,
      check: async () => {
        if (!o.host) return 'readyModels needs a host';
        await o.host.model(task, model);
      },
    });
  }

  const server: FerryServer = {
    fastify,
    host: o.host,
    sessions: sessions?.store,
    audit,
    metrics,
    get closing() {
      return closing;
    },
    route(definition) {
      fastify.route({
        method: definition.method,
        url: definition.url,
        ...(definition.bodyLimit === undefined ? {} : { bodyLimit: definition.bodyLimit }),
        config: { ferry: definition.scope === undefined ? {} : { scope: definition.scope } },
        handler: async (request, reply) => {
          const { body, query } = parseRouteInput(definition, request);
          return definition.handler({ body, query, params: request.params as Record<string, string>, apiKey: request.apiKey, request, reply });
        },
      });
      return this;
    },
    addReadinessCheck(name, check) {
      checks.push({ name, check });
      return this;
    },
    async listen(listenOptions = {}) {
      const url = await fastify.listen({ port: listenOptions.port ?? 0, host: listenOptions.host ?? '127.0.0.1' });
      if (o.handleSignals) installSignalHandlers();
      return url;
    },
    close,
  };

  fastify.get('/health', { config: { ferry: { scope: null } } }, async () => ({ status: 'ok' }));
  fastify.get('/ready', { config: { ferry: { scope: null } } }, async (_request, reply) => {
    if (closing) return reply.code(503).send({ status: 'shutting-down', checks: [] });
    const outcomes = await runChecks(checks, o.readinessTimeoutMs);
    const ok = outcomes.every((c) => c.ok);
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not-ready', checks: outcomes });
  });
  fastify.get('/metrics', { config: { ferry: o.publicMetrics ? { scope: null } : { scope: ADMIN_SCOPE } } }, async (_request, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(metrics.render()),
  );
  if (o.openai && models) {
    server.route(chatCompletionsRoute(models, SCOPES.chat));
    server.route(embeddingsRoute(models, SCOPES.embeddings));
    server.route(modelsRoute(models, undefined));
  }

  let closed: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    fastify.log.info({ signal }, 'shutting down');
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        fastify.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  function installSignalHandlers(): void {
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }

  function close(): Promise<void> {
    closed ??= (async () => {
      closing = true;
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      const force = setTimeout(() => fastify.server.closeAllConnections(), o.shutdownTimeoutMs);
      force.unref();
      // A keep-alive connection whose last request finished after close() began would otherwise
      // hold the server open until its keep-alive timeout.
      const sweep = setInterval(() => fastify.server.closeIdleConnections(), 100);
      sweep.unref();
      const failures: unknown[] = [];
      try {
        await fastify.close();
      } catch (error) {
        failures.push(error);
      } finally {
        clearTimeout(force);
        clearInterval(sweep);
      }
      await redisLimits?.close();
      if (sessions?.owned) await sessions.store.close().catch((error: unknown) => failures.push(error));
      await audit?.close().catch((error: unknown) => failures.push(error));
      if (o.host && o.disposeHost) await o.host.dispose().catch((error: unknown) => failures.push(error));
      if (failures.length > 0) throw new AggregateError(failures, 'the server did not close cleanly');
    })();
    return closed;
  }

  return server;
}
