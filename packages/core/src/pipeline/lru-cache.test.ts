import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.js';

describe('LruCache', () => {
  it('evicts the least recently used entry', () => {
    const lru = new LruCache<string, number>({ maxEntries: 2 });
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3);
    expect(lru.has('b')).toBe(false);
    expect([lru.get('a'), lru.get('c'), lru.size]).toEqual([1, 3, 2]);
  });

  it('expires entries after ttlMs on its clock', () => {
    let now = 1_000;
    const lru = new LruCache<string, string>({ maxEntries: 10, ttlMs: 50, clock: () => now });
    lru.set('k', 'v');
    now += 49;
    expect(lru.get('k')).toBe('v');
    now += 1;
    expect(lru.get('k')).toBeUndefined();
    expect(lru.size).toBe(0);
  });

  it('has() does not refresh recency; set() overwrites and refreshes', () => {
    const lru = new LruCache<string, number>({ maxEntries: 2 });
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.has('a')).toBe(true);
    lru.set('c', 3);
    expect(lru.has('a')).toBe(false);
    lru.set('b', 20);
    lru.set('d', 4);
    expect([lru.get('b'), lru.has('c'), lru.delete('d'), lru.size]).toEqual([20, false, true, 1]);
    lru.clear();
    expect(lru.size).toBe(0);
  });

  it('rejects nonsense options', () => {
    expect(() => new LruCache({ maxEntries: 0 })).toThrow(/maxEntries must be a positive integer/);
    expect(() => new LruCache({ maxEntries: 1, ttlMs: -1 })).toThrow(/ttlMs must be positive/);
  });
});
