import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cache } from './cache-middleware.js';
import { defineStep } from './define-step.js';
import { pipeline } from './pipeline.js';

function counter() {
  const calls: string[] = [];
  const step = defineStep({
    name: 'embed',
    input: z.object({ text: z.string(), model: z.string().default('m') }),
    output: z.number(),
    run: async ({ text }) => {
      calls.push(text);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (text === 'bad') throw new Error('model failed');
      return text.length;
    },
  });
  return { step, calls };
}

describe('cache middleware', () => {
  it('answers repeated inputs from the cache, keyed by the validated input', async () => {
    const { step, calls } = counter();
    const c = cache();
    const p = pipeline('p', step.use(c));
    expect((await p.run({ text: 'abc' })).output).toBe(3);
    // Same validated input (the default fills in model), different key order: a hit.
    const second = await p.run({ model: 'm', text: 'abc' });
    expect(second.output).toBe(3);
    expect(calls).toEqual(['abc']);
    expect(c.stats()).toEqual({ hits: 1, misses: 1, size: 1, inFlight: 0 });
    expect(second.trace.find((s) => s.name === 'embed')?.attributes.cache).toBe('hit');
  });

  it('expires entries after ttlMs', async () => {
    const { step, calls } = counter();
    let now = 0;
    const p = pipeline('p', step.use(cache({ ttlMs: 1000, clock: () => now })));
    await p.run({ text: 'a' });
    now = 999;
    await p.run({ text: 'a' });
    now = 1000;
    await p.run({ text: 'a' });
    expect(calls).toEqual(['a', 'a']);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const { step, calls } = counter();
    const c = cache({ maxEntries: 2 });
    const p = pipeline('p', step.use(c));
    for (const text of ['a', 'b', 'a', 'c', 'a', 'b']) await p.run({ text });
    // b was evicted by c (a had been used since), so only the last b runs again.
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
    expect(c.stats().size).toBe(2);
  });

  it('shares one in-flight call between identical concurrent calls', async () => {
    const { step, calls } = counter();
    const c = cache();
    const p = pipeline('p', step.use(c));
    const results = await Promise.all([p.run({ text: 'xy' }), p.run({ text: 'xy' }), p.run({ text: 'z' })]);
    expect(results.map((r) => r.output)).toEqual([2, 2, 1]);
    expect(calls).toEqual(['xy', 'z']);
    expect(c.stats()).toMatchObject({ hits: 1, misses: 2, inFlight: 0 });
  });

  it('does not cache failures, and shares them with joined callers', async () => {
    const { step, calls } = counter();
    const c = cache();
    const p = pipeline('p', step.use(c));
    const both = await Promise.allSettled([p.run({ text: 'bad' }), p.run({ text: 'bad' })]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(p.run({ text: 'bad' })).rejects.toThrow('model failed');
    expect(calls).toEqual(['bad', 'bad']);
    expect(c.stats().size).toBe(0);
  });

  it('takes a custom key and keeps steps apart', async () => {
    const { step, calls } = counter();
    const c = cache({ key: (input) => input.text.toLowerCase() });
    const upper = defineStep({ name: 'upper', input: z.object({ text: z.string() }), output: z.string(), run: ({ text }) => text.toUpperCase() });
    const p = pipeline('p', step.use(c));
    await p.run({ text: 'Hello' });
    await p.run({ text: 'HELLO' });
    expect(calls).toEqual(['Hello']);
    // Same key text under another step name is a separate entry.
    expect((await pipeline('q', upper.use(cache({ key: (input) => input.text }))).run({ text: 'hello' })).output).toBe('HELLO');
    c.clear();
    await p.run({ text: 'hello' });
    expect(calls).toEqual(['Hello', 'hello']);
  });
});
