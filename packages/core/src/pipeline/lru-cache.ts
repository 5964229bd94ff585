import { FerryError } from '../errors/ferry-error.js';

export interface LruCacheOptions {
  maxEntries: number;
  /** Entries older than this are gone; omit for no expiry. */
  ttlMs?: number;
  /** Milliseconds; injectable so tests can expire entries without waiting. */
  clock?: () => number;
}

/**
 * Least-recently-used cache with an optional time to live. A Map keeps
 * insertion order, so re-inserting on read makes its first key the eviction victim.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly clock: () => number;

  constructor(options: LruCacheOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new FerryError('PIPELINE_INVALID', `cache maxEntries must be a positive integer, got ${options.maxEntries}`, {
        field: 'maxEntries',
        hint: 'Set maxEntries to how many results you can afford to keep in memory, e.g. 1000.',
      });
    }
    if (options.ttlMs !== undefined && !(options.ttlMs > 0)) {
      throw new FerryError('PIPELINE_INVALID', `cache ttlMs must be positive, got ${options.ttlMs}`, {
        field: 'ttlMs',
        hint: 'Set ttlMs to how long a result stays valid in milliseconds, or leave it out to keep entries until evicted.',
      });
    }
    this.maxEntries = options.maxEntries;
    this.ttlMs = options.ttlMs ?? Number.POSITIVE_INFINITY;
    this.clock = options.clock ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** True when `key` holds a live entry; does not count as a use. */
  has(key: K): boolean {
    return this.live(key) !== undefined;
  }

  /** The value under `key`, marking it most recently used. */
  get(key: K): V | undefined {
    const entry = this.live(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.clock() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  private live(key: K): { value: V; expiresAt: number } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.clock() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
