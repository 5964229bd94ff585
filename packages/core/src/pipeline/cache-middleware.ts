import { LruCache } from './lru-cache.js';
import type { Middleware } from './middleware.js';
import { stableKey } from './stable-key.js';

export interface CacheOptions<V> {
  /** Default 1000. */
  maxEntries?: number;
  /** Omit to keep entries until evicted. */
  ttlMs?: number;
  /** Cache key of a validated input; default a stable JSON of it. */
  key?: (input: V) => string;
  clock?: () => number;
}

export interface CacheStats {
  /** Calls answered from the cache or by joining an identical call in flight. */
  readonly hits: number;
  /** Calls that ran the step. */
  readonly misses: number;
  readonly size: number;
  readonly inFlight: number;
}

// Results pass through untouched, so `any` output is safe, and a plain `V`
// (not a generic wrap) lets `step.use(cache({ key: (input) => ... }))` type `input`.
export interface CacheMiddleware<V> extends Middleware<V, any> {
  stats(): CacheStats;
  clear(): void;
}

/**
 * Caches results per validated input. Identical calls while one is running
 * share its promise; failures are not cached. One instance may serve several
 * steps: keys are prefixed with the step name.
 */
export function cache<V = any>(options: CacheOptions<V> = {}): CacheMiddleware<V> {
  const entries = new LruCache<string, unknown>({
    maxEntries: options.maxEntries ?? 1000,
    ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const pending = new Map<string, Promise<unknown>>();
  const keyOf = options.key ?? stableKey;
  let hits = 0;
  let misses = 0;
  return {
    name: 'cache',
    wrap: (next, step) => async (input, ctx) => {
      const key = `${step.name}\u0000${keyOf(input)}`;
      if (entries.has(key)) {
        hits++;
        ctx.setAttributes({ cache: 'hit' });
        return entries.get(key);
      }
      const running = pending.get(key);
      if (running) {
        hits++;
        ctx.setAttributes({ cache: 'shared' });
        return running;
      }
      misses++;
      ctx.setAttributes({ cache: 'miss' });
      const call = next(input, ctx);
      pending.set(key, call);
      try {
        const value = await call;
        entries.set(key, value);
        return value;
      } finally {
        pending.delete(key);
      }
    },
    stats: () => ({ hits, misses, size: entries.size, inFlight: pending.size }),
    clear: () => entries.clear(),
  };
}
