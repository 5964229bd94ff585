export { createFerryServer, SCOPES, type FerryServer } from './create-ferry-server.js';
export { ferryServerOptionsSchema, type FerryServerOptions, type ReadinessCheck } from './server-options.js';

export { defineRoute, type FerryRouteDefinition, type RouteContext } from './http/define-route.js';
export { HttpError, type ErrorBody } from './http/http-error.js';

export {
  ADMIN_SCOPE,
  ApiKeyStore,
  apiKeyRecordSchema,
  apiKeysFileSchema,
  createApiKeyRecord,
  hasScope,
  type ApiKeyIdentity,
  type ApiKeyRecord,
  type PlainApiKey,
} from './auth/api-keys.js';
export { generateApiKey, hashApiKey, verifyApiKeyHash } from './auth/api-key-hash.js';
export type { FerryRouteConfig } from './auth/security-hook.js';

export { MemoryRateLimitStore, type BucketOptions, type RateLimitStore, type TakeResult } from './rate-limit/token-bucket.js';
export { RedisRateLimitStore, type RedisRateLimitStoreOptions } from './rate-limit/redis-rate-limit-store.js';
export { HttpMetrics } from './observability/metrics.js';
export { redactDeep } from './observability/log-redaction.js';
export type { CheckOutcome } from './observability/readiness.js';

export { directModelSource, hostModelSource, type DirectModels, type ModelSource } from './openai/model-source.js';
export { chatCompletionRequestSchema } from './openai/chat-completions.js';
export { embeddingsRequestSchema } from './openai/embeddings.js';

export type { Session, SessionStore, SessionTurn, SessionTurnInput } from './sessions/session-store.js';
export { MemorySessionStore, MEMORY_SESSION_LIMITS, type MemorySessionStoreOptions } from './sessions/memory-session-store.js';
export { SqliteSessionStore } from './sessions/sqlite-session-store.js';
export { RedisSessionStore, type RedisSessionStoreOptions } from './sessions/redis-session-store.js';
export { SessionCipher, sessionEncryptionSchema, type SessionEncryptionOptions } from './sessions/session-cipher.js';

export { AuditLog, verifyAuditLog, auditEntryHash, AUDIT_GENESIS, type AuditEntry, type AuditVerification } from './audit/audit-log.js';
