import type { Writable } from 'node:stream';
import type { Embedder, FerryHost, ModelTask, TextGenerator } from '@ferry/core';
import { z } from 'zod';
import { apiKeyRecordSchema, plainApiKeySchema } from './auth/api-keys.js';
import { bucketOptionsSchema, type RateLimitStore } from './rate-limit/token-bucket.js';
import { sessionEncryptionSchema } from './sessions/session-cipher.js';
import type { SessionStore } from './sessions/session-store.js';

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null;
const fn = <T>(what: string) => z.custom<T>((v) => typeof v === 'function', `${what} must be a function`);

const hostSchema = z.custom<FerryHost>(
  (v) => isObject(v) && typeof (v as FerryHost).model === 'function' && isObject((v as FerryHost).models),
  'must be a started FerryHost (await FerryHost.start(...))',
);
const textGeneratorSchema = z.custom<TextGenerator>((v) => isObject(v) && typeof (v as TextGenerator).generate === 'function', 'must be a TextGenerator');
const embedderSchema = z.custom<Embedder>((v) => isObject(v) && typeof (v as Embedder).embed === 'function', 'must be an Embedder');

export const authOptionsSchema = z.union([
  z.literal(false),
  z
    .strictObject({
      /** Keys in plain text (tests, env vars); hashed with scrypt at startup. */
      keys: z.array(plainApiKeySchema).default([]),
      /** Already-hashed records. */
      records: z.array(apiKeyRecordSchema).default([]),
      /** JSON file `{ "keys": [{ id, hash, scopes }] }`. */
      keysFile: z.string().min(1).optional(),
    })
    .refine((a) => a.keys.length > 0 || a.records.length > 0 || a.keysFile !== undefined, {
      message: 'give at least one key (keys, records or keysFile), or set auth: false to run without authentication',
      path: ['keys'],
    }),
]);

const sessionsSchema = z.union([
  z.custom<SessionStore>((v) => isObject(v) && typeof (v as SessionStore).append === 'function' && typeof (v as SessionStore).history === 'function', 'must be a SessionStore or { store: ... }'),
  z.strictObject({
    store: z.literal('memory'),
    /** Turns kept per session (oldest dropped), 100 by default. */
    maxTurns: z.number().int().min(1).optional(),
    /** Sessions kept (least recently used dropped), 10,000 by default. */
    maxSessions: z.number().int().min(1).optional(),
  }),
  z.strictObject({
    store: z.literal('sqlite'),
    path: z.string().min(1),
    /** AES-256-GCM keys; from FERRY_SESSION_KEYS / FERRY_SESSION_KEY when absent. */
    encryption: sessionEncryptionSchema.optional(),
  }),
  z.strictObject({
    store: z.literal('redis'),
    url: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'),
    prefix: z.string().optional(),
    ttlSeconds: z.number().int().min(1).optional(),
    encryption: sessionEncryptionSchema.optional(),
  }),
]);

const readinessCheckSchema = z.strictObject({
  name: z.string().min(1),
  /** Resolves when healthy; throws (or resolves a string reason) when not. */
  check: fn<() => Promise<void | string> | void | string>('check'),
});
export type ReadinessCheck = z.infer<typeof readinessCheckSchema>;

export const ferryServerOptionsSchema = z
  .strictObject({
    /** A started host: `model` in requests resolves through its aliases and providers. */
    host: hostSchema.optional(),
    /** Or models handed over directly, by the name requests use. */
    models: z
      .strictObject({
        textGenerators: z.record(z.string(), textGeneratorSchema).optional(),
        embedders: z.record(z.string(), embedderSchema).optional(),
      })
      .optional(),
    /** API keys; `false` turns authentication off (local development only). */
    auth: authOptionsSchema,
    rateLimit: z
      .union([
        z.literal(false),
        z.strictObject({
          perIp: bucketOptionsSchema.default({ capacity: 200, refillPerSecond: 100 }),
          perKey: bucketOptionsSchema.default({ capacity: 100, refillPerSecond: 50 }),
          /**
           * Keys checked with scrypt (~50 ms of CPU each) per IP: a known key id
           * with a wrong secret, or a right key not verified yet. Keys already
           * verified are a hash lookup and take nothing from it.
           */
          perIpKeyChecks: bucketOptionsSchema.default({ capacity: 10, refillPerSecond: 2 }),
          store: z.custom<RateLimitStore>((v) => isObject(v) && typeof (v as RateLimitStore).take === 'function', 'must have take()').optional(),
          /** Share buckets between replicas through this Redis (the server opens and closes the connection). */
          redisUrl: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
        }).refine((r) => !(r.store && r.redisUrl), { message: 'give store or redisUrl, not both', path: ['redisUrl'] }),
      ])
      .default({ perIp: { capacity: 200, refillPerSecond: 100 }, perKey: { capacity: 100, refillPerSecond: 50 }, perIpKeyChecks: { capacity: 10, refillPerSecond: 2 } }),
    /** Largest request body in bytes. */
    bodyLimit: z.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
    /** Deepest JSON nesting accepted. */
    maxJsonDepth: z.number().int().min(2).max(1000).default(64),
    logger: z
      .union([
        z.literal(false),
        z.strictObject({
          level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
          stream: z.custom<Writable>((v) => isObject(v) && typeof (v as Writable).write === 'function', 'must be a writable stream').optional(),
        }),
      ])
      .default({ level: 'info' }),
    sessions: sessionsSchema.optional(),
    audit: z
      .strictObject({
        path: z.string().min(1),
        /** Also record every authenticated request (key id, route, status), not only security events. */
        requests: z.boolean().default(false),
      })
      .optional(),
    /** Extra checks for /ready, beside the session store and `readyModels`. */
    readiness: z.array(readinessCheckSchema).default([]),
    /** Models /ready loads (and so proves resolvable), e.g. `[{ task: 'embedding', model: 'embedder' }]`. */
    readyModels: z.array(z.strictObject({ task: z.custom<ModelTask>((v) => typeof v === 'string'), model: z.string().min(1) })).default([]),
    readinessTimeoutMs: z.number().int().min(1).default(2000),
    /** /metrics without a key (for a scraper inside a private network); otherwise it needs the admin scope. */
    publicMetrics: z.boolean().default(false),
    /** Mount the OpenAI-compatible /v1 routes (needs host or models). */
    openai: z.boolean().default(true),
    /** As fastify's trustProxy: set it behind a load balancer so rate limits see client IPs. */
    trustProxy: z.union([z.boolean(), z.string(), z.array(z.string())]).default(false),
    /** After this long, close() cuts the connections still open. */
    shutdownTimeoutMs: z.number().int().min(0).default(10_000),
    /** listen() installs SIGTERM/SIGINT handlers that close gracefully, then exit. */
    handleSignals: z.boolean().default(true),
    /** close() also disposes the host. */
    disposeHost: z.boolean().default(true),
  })
  .refine((o) => !(o.host && o.models), { message: 'give host or models, not both', path: ['models'] });

export type FerryServerOptions = z.input<typeof ferryServerOptionsSchema>;
export type ResolvedFerryServerOptions = z.output<typeof ferryServerOptionsSchema>;
