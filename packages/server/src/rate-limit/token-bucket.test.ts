import { describe, expect, it } from 'vitest';
import { MemoryRateLimitStore } from './token-bucket.js';

describe('MemoryRateLimitStore', () => {
  const opts = { capacity: 3, refillPerSecond: 2 };

  it('allows a burst of capacity, then refuses with the time until the next token', () => {
    const store = new MemoryRateLimitStore();
    const t = 1_000_000;
    expect([1, 2, 3].map(() => store.take('ip:a', opts, t).allowed)).toEqual([true, true, true]);
    const denied = store.take('ip:a', opts, t);
    expect(denied).toEqual({ allowed: false, remaining: 0, retryAfterMs: 500 });
    expect(store.take('ip:a', opts, t + 500).allowed).toBe(true);
    expect(store.take('ip:b', opts, t).allowed).toBe(true);
  });

  it('never refills past capacity', () => {
    const store = new MemoryRateLimitStore();
    store.take('k', opts, 0);
    expect(store.take('k', opts, 60_000).remaining).toBe(2);
  });

  it('stays bounded under a flood of distinct keys', () => {
    const store = new MemoryRateLimitStore(100);
    for (let i = 0; i < 1000; i++) store.take(`ip:${i}`, opts, i);
    expect(store.size).toBeLessThanOrEqual(100);
  });
});
