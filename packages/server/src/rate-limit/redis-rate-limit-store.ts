import { Redis } from 'ioredis';
import { closeRedis } from '../close-redis.js';
import type { BucketOptions, RateLimitStore, TakeResult } from './token-bucket.js';

/**
 * The token bucket as one Lua script, so a take is atomic across replicas,
 * and timed by the Redis server's clock, so replicas with skewed clocks
 * still share one refill rate.
 */
const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local data = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(data[1]) or capacity
local at = tonumber(data[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) / 1000 * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return { allowed, tostring(tokens) }
`;

export interface RedisRateLimitStoreOptions {
  url: string;
  prefix?: string;
  /** While Redis is unreachable: let requests through (default) or refuse them. */
  whenDown?: 'allow' | 'deny';
  commandTimeoutMs?: number;
  /** Told about each failed take (e.g. to log it), since the request itself goes on. */
  onError?: (error: unknown) => void;
}

/** Buckets shared by every replica that points at the same Redis. */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(private readonly options: RedisRateLimitStoreOptions) {
    this.prefix = options.prefix ?? 'ferry:ratelimit:';
    // The offline queue stays on so the first takes wait for the connection; commandTimeout bounds the wait while Redis is down.
    this.redis = new Redis(options.url, {
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? 500,
      retryStrategy: (times) => Math.min(times * 100, 2000),
    });
    this.redis.on('error', () => undefined);
    this.redis.defineCommand('ferryTakeToken', { numberOfKeys: 1, lua: TAKE_SCRIPT });
  }

  async take(key: string, options: BucketOptions): Promise<TakeResult> {
    try {
      const [allowed, tokensText] = (await (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<[number, string]>>).ferryTakeToken!(
        `${this.prefix}${key}`,
        options.capacity,
        options.refillPerSecond,
      )) as [number, string];
      const tokens = Number(tokensText);
      return allowed === 1
        ? { allowed: true, remaining: Math.floor(tokens), retryAfterMs: 0 }
        : { allowed: false, remaining: 0, retryAfterMs: Math.ceil(((1 - tokens) / options.refillPerSecond) * 1000) };
    } catch (error) {
      this.options.onError?.(error);
      return this.options.whenDown === 'deny' ? { allowed: false, remaining: 0, retryAfterMs: 1000 } : { allowed: true, remaining: 0, retryAfterMs: 0 };
    }
  }

  async close(): Promise<void> {
    await closeRedis(this.redis);
  }
}
