import type { Redis } from 'ioredis';

/** Quits politely (pending replies first); a connection that cannot quit is cut. Idempotent. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
