import { Tensor } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { scorerFromLogits } from './logits-scorer.js';

describe('scorerFromLogits', () => {
  it('sums log-softmax of each continuation token at the position before it', async () => {
    // A bigram model over 3 tokens: the logits at a position depend on its token.
    const table = [
      [0, 1, 2],
      [2, 0, 0],
      [0, 0, 5],
    ];
    const scorer = scorerFromLogits(async (ids) => Tensor.from(ids.flatMap((id) => table[id]!), [ids.length, 3]));
    const logSoftmax = (row: number[], k: number): number => row[k]! - Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
    expect(await scorer([0], [2, 2])).toBeCloseTo(logSoftmax(table[0]!, 2) + logSoftmax(table[2]!, 2), 12);
    expect(await scorer([1, 0], [1])).toBeCloseTo(logSoftmax(table[0]!, 1), 12);
    await expect(scorer([], [1])).rejects.toThrow(/at least one prompt token/);

    const fromPosition = scorerFromLogits(async (ids, from) => Tensor.from(ids.slice(from).flatMap((id) => table[id]!), [ids.length - from, 3]));
    expect(await fromPosition([1, 0], [2, 2])).toBeCloseTo(await scorer([1, 0], [2, 2]), 12);
    const short = scorerFromLogits(async () => Tensor.from([0, 0, 0], [1, 3]));
    await expect(short([1, 0, 1], [2, 2])).rejects.toThrow(/expected logits for 5 positions \(or the last 3\)/);
  });
});
