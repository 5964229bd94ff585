import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { isFerryError } from '../errors/ferry-error.js';
import { batch } from './batch-middleware.js';
import { defineStep } from './define-step.js';
import { pipeline } from './pipeline.js';
import { retry } from './retry-middleware.js';

const embed = defineStep({
  name: 'embed',
  input: z.string(),
  output: z.number(),
  run: () => {
    throw new Error('batched steps never run one by one');
  },
});

function batched(runBatch: (inputs: string[]) => Promise<ReadonlyArray<number | Error>>, maxSize = 3, maxWaitMs = 50) {
  const batches: string[][] = [];
  const p = pipeline(
    'p',
    embed.use(
      batch({
        maxSize,
        maxWaitMs,
        runBatch: async (inputs, { step }) => {
          expect(step).toBe('embed');
          batches.push(inputs);
          return runBatch(inputs);
        },
      }),
    ),
  );
  return { run: (text: string) => p.run(text).then((r) => r.output), batches };
}

describe('batch middleware', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs a batch as soon as maxSize calls are waiting, routing each result to its caller', async () => {
    const { run, batches } = batched(async (inputs) => inputs.map((s) => s.length));
    const results = Promise.all(['a', 'bb', 'ccc', 'dddd'].map(run));
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([['a', 'bb', 'ccc']]);
    await vi.advanceTimersByTimeAsync(50);
    expect(batches).toEqual([['a', 'bb', 'ccc'], ['dddd']]);
    expect(await results).toEqual([1, 2, 3, 4]);
  });

  it('flushes a partial batch maxWaitMs after its first call', async () => {
    const { run, batches } = batched(async (inputs) => inputs.map((s) => s.length));
    const first = run('x');
    await vi.advanceTimersByTimeAsync(30);
    const second = run('yy');
    await vi.advanceTimersByTimeAsync(19);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([['x', 'yy']]);
    expect([await first, await second]).toEqual([1, 2]);
  });

  it('fails every caller of a batch whose runBatch throws', async () => {
    const { run } = batched(async () => {
      throw new Error('server down');
    });
    const results = Promise.allSettled([run('a'), run('b')]);
    await vi.advanceTimersByTimeAsync(50);
    const settled = await results;
    expect(settled.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual(['server down', 'server down']);
  });

  it('fails only the callers whose item came back as an Error', async () => {
    const { run } = batched(async (inputs) => inputs.map((s) => (s === 'bad' ? new Error(`cannot embed "${s}"`) : s.length)));
    const settled = await Promise.allSettled([run('ok'), run('bad'), run('fine')]);
    expect(settled.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([2, 'cannot embed "bad"', 4]);
  });

  it('fails the batch when runBatch returns the wrong number of results', async () => {
    const { run } = batched(async () => [1]);
    const settled = Promise.allSettled([run('a'), run('b')]);
    await vi.advanceTimersByTimeAsync(50);
    const [first] = await settled;
    expect(first?.status === 'rejected' && isFerryError(first.reason, 'STEP_OUTPUT_INVALID')).toBe(true);
    expect(first?.status === 'rejected' && String(first.reason)).toContain('runBatch returned 1 results for 2 inputs');
  });

  it('drops a caller that aborts while waiting', async () => {
    const batches: string[][] = [];
    const runBatch = async (inputs: string[]): Promise<number[]> => {
      batches.push(inputs);
      return inputs.map((s) => s.length);
    };
    const p = pipeline('q', embed.use(batch({ maxSize: 10, maxWaitMs: 20, runBatch })));
    const controller = new AbortController();
    const gone = p.run('gone', { signal: controller.signal });
    const kept = p.run('kept');
    controller.abort(new Error('user left'));
    await expect(gone).rejects.toThrow('user left');
    await vi.advanceTimersByTimeAsync(20);
    expect(batches).toEqual([['kept']]);
    expect((await kept).output).toBe(4);
  });

  it('refuses to sit outside other middleware it would bypass', () => {
    expect(() => embed.use(retry(), batch({ maxSize: 2, maxWaitMs: 1, runBatch: async (xs: string[]) => xs.map(() => 0) }))).toThrow(
      /batch replaces the step's run, so retry inside it would never run/,
    );
    expect(() => batch({ maxSize: 0, maxWaitMs: 1, runBatch: async () => [] })).toThrow(/maxSize must be a positive integer/);
  });
});
