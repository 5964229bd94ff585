import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditLog } from '../audit/audit-log.js';
import { HttpError } from '../http/http-error.js';
import type { BucketOptions, RateLimitStore } from '../rate-limit/token-bucket.js';
import { hasScope, type ApiKeyIdentity, type ApiKeyStore } from './api-keys.js';

/** Per-route security settings, set by `defineRoute({ scope })` or `config: { ferry: { scope } }`. */
export interface FerryRouteConfig {
  /** Scope a key needs; `null` = public; absent = any valid key. */
  scope?: string | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    ferry?: FerryRouteConfig;
  }
  interface FastifyRequest {
    /** The authenticated API key, when the route needed one. */
    apiKey: ApiKeyIdentity | undefined;
  }
}

export interface SecuritySettings {
  keys: ApiKeyStore | undefined;
  rateLimit: { store: RateLimitStore; perIp: BucketOptions; perKey: BucketOptions; perIpKeyChecks: BucketOptions } | undefined;
  audit: AuditLog | undefined;
}

/**
 * One onRequest hook, in the order that keeps a flood cheap: the per-IP
 * bucket first (before any scrypt), then the key (401 when missing or
 * wrong; a key that needs scrypt first takes from the per-IP key-check
 * bucket, so guessing secrets for a known key id cannot keep cores busy),
 * then the scope (403 when the key may not use the route), then the per-key
 * bucket.
 */
export function installSecurity(app: FastifyInstance, settings: SecuritySettings): void {
  app.decorateRequest('apiKey', undefined);
  app.addHook('onRequest', async (request) => {
    const scope = request.routeOptions.config?.ferry?.scope;
    const isPublic = scope === null;
    if (settings.rateLimit && !isPublic) await take(settings, request, `ip:${request.ip}`, settings.rateLimit.perIp, 'ip');
    if (!settings.keys || isPublic) return;

    const presented = presentedKey(request);
    if (presented === undefined) {
      await deny(settings, request, 'auth.missing');
      throw new HttpError(401, 'AUTH_REQUIRED', 'this route needs an API key', 'Send "Authorization: Bearer <key>" (or "x-api-key: <key>").', 'authorization', {
        'www-authenticate': 'Bearer',
      });
    }
    const rateLimit = settings.rateLimit;
    const key = await settings.keys.verify(presented, rateLimit && (() => take(settings, request, `keycheck:${request.ip}`, rateLimit.perIpKeyChecks, 'keycheck')));
    if (!key) {
      await deny(settings, request, 'auth.invalid');
      throw new HttpError(401, 'AUTH_INVALID', 'the API key is not valid', 'Check the key for typos, or ask the operator for a new one.', 'authorization', {
        'www-authenticate': 'Bearer error="invalid_token"',
      });
    }
    request.apiKey = key;
    if (typeof scope === 'string' && !hasScope(key, scope)) {
      await deny(settings, request, 'auth.forbidden', { keyId: key.id, scope });
      throw new HttpError(403, 'FORBIDDEN', `key "${key.id}" lacks the "${scope}" scope this route needs`, `Use a key with the "${scope}" scope, or ask the operator to add it to this key.`, 'authorization');
    }
    if (settings.rateLimit) await take(settings, request, `key:${key.id}`, settings.rateLimit.perKey, 'key');
  });
}

function presentedKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  const header = request.headers['x-api-key'];
  return typeof header === 'string' && header.length > 0 ? header : undefined;
}

const LIMITED = {
  ip: 'too many requests from this address',
  key: 'too many requests from this API key',
  keycheck: 'too many API keys to check from this address (wrong keys, or new ones)',
} as const;

async function take(settings: SecuritySettings, request: FastifyRequest, bucket: string, options: BucketOptions, kind: keyof typeof LIMITED): Promise<void> {
  const result = await settings.rateLimit!.store.take(bucket, options);
  if (result.allowed) return;
  await deny(settings, request, 'rate.limited', { limit: kind, ...(request.apiKey ? { keyId: request.apiKey.id } : {}) });
  const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
  throw new HttpError(429, 'RATE_LIMITED', LIMITED[kind], `Wait ${seconds} s and retry; the limit refills at ${options.refillPerSecond} per second.`, undefined, {
    'retry-after': String(seconds),
  });
}

/** Records the refusal; the request is refused whether or not the audit write succeeds (a failure is logged). */
async function deny(settings: SecuritySettings, request: FastifyRequest, type: string, extra: Record<string, unknown> = {}): Promise<void> {
  await settings.audit
    ?.append(type, { requestId: request.id, method: request.method, route: request.routeOptions.url ?? null, ...extra })
    .catch((error: unknown) => request.log.error({ err: error }, 'audit log write failed'));
}
