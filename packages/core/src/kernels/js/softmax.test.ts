import { describe, expect, it } from 'vitest';
import { randomUniform } from '../../tensor/random-tensor.js';
import { createRng } from '../../tensor/seeded-rng.js';
import { Tensor, tensor } from '../../tensor/tensor.js';
import { expectClose, expectFerryError, expectGradientClose, numericGradient, weightedSum } from './kernel-test-utils.test-helper.js';
import { softmax, softmaxBackward } from './softmax.js';

describe('softmax', () => {
  const rng = createRng(2);

  it('matches exp(x) / sum(exp(x)) per last-dim row', () => {
    const x = randomUniform(rng, [2, 3, 17], -3, 3);
    const out = softmax(x);
    const expected: number[] = [];
    for (let row = 0; row < 6; row++) {
      const exps = Array.from(x.data.subarray(row * 17, row * 17 + 17), Math.exp);
      const sum = exps.reduce((s, v) => s + v, 0);
      expected.push(...exps.map((v) => v / sum));
    }
    expect(out.shape).toEqual([2, 3, 17]);
    expectClose(out.data, expected, 1e-7, 1e-6);
  });

  it('stays finite for logits that would overflow exp', () => {
    const out = softmax(tensor([[1000, 1001, 999], [-1000, -1000, -1000]]));
    expectClose(out.data, [0.2447284710, 0.6652409558, 0.0900305732, 1 / 3, 1 / 3, 1 / 3], 1e-7);
  });

  it('gives 1 for a single-element row', () => {
    expect(softmax(tensor([[5], [-7]])).toArray()).toEqual([[1], [1]]);
  });

  it('backward matches central differences', () => {
    const x = randomUniform(rng, [3, 5], -2, 2);
    const dy = randomUniform(rng, [3, 5]);
    const dx = softmaxBackward(softmax(x), dy);
    expectGradientClose(dx, numericGradient(() => weightedSum(softmax(x), dy), x));
  });

  it('names the mismatched gradient', () => {
    expectFerryError(() => softmaxBackward(Tensor.zeros([2, 3]), Tensor.zeros([3, 2])), 'TENSOR_SHAPE', 'dy', '[3, 2]', '[2, 3]');
    expectFerryError(() => softmax(Tensor.zeros([])), 'TENSOR_SHAPE', 'x', '0-d');
  });
});
