import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';

/** A forward pass that squares numbers and records the batches it saw. */
function squarer(size: number, failOn?: number): { batcher: Batcher<number, number>; batches: number[][] } {
  const batches: number[][] = [];
  const batcher = new Batcher<number, number>(size, async (batch) => {
    batches.push(batch);
    await new Promise((r) => setTimeout(r, 1));
    if (failOn !== undefined && batch.includes(failOn)) throw new Error(`cannot square ${failOn}`);
    return batch.map((x) => x * x);
  });
  return { batcher, batches };
}

describe('Batcher', () => {
  it('splits a large call and merges concurrent small ones, keeping each result in its place', async () => {
    const { batcher, batches } = squarer(3);
    const [a, b, c] = await Promise.all([batcher.run([1, 2, 3, 4, 5]), batcher.run([6]), batcher.run([7, 8])]);
    expect(a).toEqual([1, 4, 9, 16, 25]);
    expect(b).toEqual([36]);
    expect(c).toEqual([49, 64]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8],
    ]);
    expect(batcher.passes).toBe(3);
  });

  it('fails only the calls that shared the failing pass', async () => {
    const { batcher } = squarer(2, 3);
    const results = await Promise.allSettled([batcher.run([1, 2]), batcher.run([3, 4]), batcher.run([5, 6])]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('cannot square 3'));
  });

  it('drops an aborted call from the queue', async () => {
    const { batcher, batches } = squarer(1);
    const controller = new AbortController();
    const first = batcher.run([1]);
    const second = batcher.run([2, 3], controller.signal);
    controller.abort(new Error('stop'));
    await expect(second).rejects.toThrow('stop');
    expect(await first).toEqual([1]);
    expect(batches).toEqual([[1]]);
  });
});
