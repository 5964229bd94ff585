import { z } from 'zod';

export const bucketOptionsSchema = z.strictObject({
  /** Requests allowed in a burst. */
  capacity: z.number().int().min(1),
  /** Tokens added back per second. */
  refillPerSecond: z.number().positive(),
});
export type BucketOptions = z.infer<typeof bucketOptionsSchema>;

export interface TakeResult {
  allowed: boolean;
  /** Whole tokens left after this take. */
  remaining: number;
  /** When not allowed: milliseconds until one token is back. */
  retryAfterMs: number;
}

/** Where buckets live; in memory by default, so a store shared by replicas can replace it. */
export interface RateLimitStore {
  take(key: string, options: BucketOptions, now?: number): Promise<TakeResult> | TakeResult;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets in a Map. Full buckets carry no information, so the map is
 * swept of them when it grows, which bounds memory under a flood of new IPs.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly maxBuckets = 100_000) {}

  take(key: string, options: BucketOptions, now = Date.now()): TakeResult {
    const bucket = this.buckets.get(key) ?? { tokens: options.capacity, at: now };
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.tokens = Math.min(options.capacity, bucket.tokens + elapsed * options.refillPerSecond);
    bucket.at = now;
    if (!this.buckets.has(key)) {
      if (this.buckets.size >= this.maxBuckets) this.sweep(now, options);
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterMs: 0 };
    }
    return { allowed: false, remaining: 0, retryAfterMs: Math.ceil(((1 - bucket.tokens) / options.refillPerSecond) * 1000) };
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number, options: BucketOptions): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * options.refillPerSecond >= options.capacity) this.buckets.delete(key);
    }
    // Still full of active buckets: drop the oldest half rather than grow without bound.
    if (this.buckets.size >= this.maxBuckets) {
      let drop = Math.floor(this.buckets.size / 2);
      for (const key of this.buckets.keys()) {
        if (drop-- <= 0) break;
        this.buckets.delete(key);
      }
    }
  }
}
