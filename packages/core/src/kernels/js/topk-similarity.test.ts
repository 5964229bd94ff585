import { describe, expect, it } from 'vitest';
import { randomUniform } from '../../tensor/random-tensor.js';
import { createRng } from '../../tensor/seeded-rng.js';
import { Tensor, tensor } from '../../tensor/tensor.js';
import { expectClose, expectFerryError } from './kernel-test-utils.test-helper.js';
import { topkSimilarity } from './topk-similarity.js';

function row(t: Tensor, i: number, d: number): number[] {
  return Array.from(t.data.subarray(i * d, i * d + d));
}

function dot(a: number[], b: number[]): number {
  return a.reduce((s, v, i) => s + v * b[i]!, 0);
}

describe('topkSimilarity', () => {
  const rng = createRng(13);
  const matrix = randomUniform(rng, [40, 6]);
  const queries = randomUniform(rng, [3, 6]);

  it.each(['dot', 'cosine'] as const)('returns the same best rows as a full sort (%s)', (metric) => {
    const { indices, scores } = topkSimilarity(queries, matrix, { k: 5, metric });
    expect(indices.shape).toEqual([3, 5]);
    for (let q = 0; q < 3; q++) {
      const query = row(queries, q, 6);
      const all = Array.from({ length: 40 }, (_, i) => {
        const r = row(matrix, i, 6);
        const s = metric === 'dot' ? dot(query, r) : dot(query, r) / Math.sqrt(dot(query, query) * dot(r, r));
        return { i, s };
      }).sort((a, b) => b.s - a.s);
      expect(Array.from(indices.data.subarray(q * 5, q * 5 + 5))).toEqual(all.slice(0, 5).map((e) => e.i));
      expectClose(scores.data.subarray(q * 5, q * 5 + 5), all.slice(0, 5).map((e) => e.s), 1e-6, 1e-6);
    }
  });

  it('clips k to N and answers a 1-D query with 1-D results', () => {
    const { indices, scores } = topkSimilarity(tensor([1, 0]), tensor([[0, 1], [2, 0], [1, 1]]), { k: 10, metric: 'dot' });
    expect(indices.toArray()).toEqual([1, 2, 0]);
    expect(scores.toArray()).toEqual([2, 1, 0]);
  });

  it('breaks ties by lower index and scores zero vectors 0 under cosine', () => {
    const m = tensor([[0, 0], [1, 0], [2, 0], [-1, 0]]);
    const { indices, scores } = topkSimilarity(tensor([[1, 0]]), m, { k: 4 });
    expect(indices.toArray()).toEqual([[1, 2, 0, 3]]);
    expect(scores.toArray()).toEqual([[1, 1, 0, -1]]);
  });

  it('names the mismatched argument', () => {
    expectFerryError(() => topkSimilarity(Tensor.zeros([2, 5]), matrix, { k: 1 }), 'TENSOR_SHAPE', 'queries', '[2, 5]', '[40, 6]');
    expectFerryError(() => topkSimilarity(queries, matrix, { k: 0 }), 'KERNEL_BAD_INPUT', 'options.k');
    expectFerryError(() => topkSimilarity(queries, matrix, { k: 2, metric: 'l2' as 'dot' }), 'KERNEL_BAD_INPUT', 'options.metric', 'l2');
  });
});
