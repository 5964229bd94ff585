import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUnavailable, startRedis, type RunningRedis } from '../sessions/redis-server.test-helper.js';
import { RedisRateLimitStore } from './redis-rate-limit-store.js';

const noRedis = redisUnavailable();
describe.skipIf(noRedis !== undefined)(`RedisRateLimitStore against a real redis-server${noRedis ? ` (skipped: ${noRedis})` : ''}`, () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('shares one bucket between two replicas', async () => {
    const a = new RedisRateLimitStore({ url: redis.url });
    const b = new RedisRateLimitStore({ url: redis.url });
    const opts = { capacity: 3, refillPerSecond: 0.5 };
    const results = [await a.take('key:x', opts), await b.take('key:x', opts), await a.take('key:x', opts), await b.take('key:x', opts)];
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]!.retryAfterMs).toBeGreaterThan(1000);
    expect((await b.take('key:y', opts)).allowed).toBe(true);
    await a.close();
    await b.close();
  });

  it('lets traffic through, or refuses it, as configured while Redis is down', async () => {
    const own = await startRedis();
    const errors: unknown[] = [];
    const open = new RedisRateLimitStore({ url: own.url, commandTimeoutMs: 200, onError: (e) => errors.push(e) });
    const closed = new RedisRateLimitStore({ url: own.url, whenDown: 'deny', commandTimeoutMs: 200 });
    await own.stop();
    const opts = { capacity: 1, refillPerSecond: 1 };
    expect((await open.take('k', opts)).allowed).toBe(true);
    expect((await closed.take('k', opts)).allowed).toBe(false);
    expect(errors).toHaveLength(1);
    await open.close();
    await closed.close();
  });
});
