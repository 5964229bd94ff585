import { describe, expect, it } from 'vitest';
import { randomUniform } from '../../tensor/random-tensor.js';
import { createRng } from '../../tensor/seeded-rng.js';
import { Tensor, tensor } from '../../tensor/tensor.js';
import { crossEntropy, crossEntropyBackward } from './cross-entropy.js';
import { expectClose, expectFerryError, expectGradientClose, numericGradient } from './kernel-test-utils.test-helper.js';

/** -log(softmax(row)[target]), averaged over kept rows. */
function naiveLoss(logits: Tensor, targets: number[], ignore = -100): number {
  const v = logits.shape[1]!;
  const kept = targets.map((t, row) => ({ t, row })).filter(({ t }) => t !== ignore);
  const losses = kept.map(({ t, row }) => {
    const values = Array.from(logits.data.subarray(row * v, row * v + v));
    const probs = values.map(Math.exp);
    return -Math.log(probs[t]! / probs.reduce((s, p) => s + p, 0));
  });
  return losses.length === 0 ? 0 : losses.reduce((s, l) => s + l, 0) / losses.length;
}

describe('crossEntropy', () => {
  const rng = createRng(8);
  const logits = randomUniform(rng, [5, 7], -3, 3);
  const targets = [3, -100, 0, 6, -100];
  const t = tensor(targets, [5], 'i32');

  it('is the mean negative log-likelihood over rows that are not ignored', () => {
    const { loss, count } = crossEntropy(logits, t);
    expect(count).toBe(3);
    expect(loss).toBeCloseTo(naiveLoss(logits, targets), 6);
  });

  it('honours a custom ignoreIndex and returns 0 when every row is ignored', () => {
    const custom = tensor([3, 0, 0, 6, 0], [5], 'i32');
    expect(crossEntropy(logits, custom, { ignoreIndex: 0 })).toEqual({ loss: expect.closeTo(naiveLoss(logits, [3, 0, 0, 6, 0], 0), 6), count: 2 });
    expect(crossEntropy(logits, tensor([-100, -100, -100, -100, -100], [5], 'i32'))).toEqual({ loss: 0, count: 0 });
    expect([...crossEntropyBackward(logits, tensor([-100, -100, -100, -100, -100], [5], 'i32')).data].every((g) => g === 0)).toBe(true);
  });

  it('stays finite for large logits', () => {
    const { loss } = crossEntropy(tensor([[1000, 0], [0, 1000]]), tensor([0, 0], [2], 'i32'));
    expect(loss).toBeCloseTo(500, 6);
  });

  it('backward is the gradient of the mean loss, 0 on ignored rows', () => {
    const grad = crossEntropyBackward(logits, t);
    expectGradientClose(grad, numericGradient(() => crossEntropy(logits, t).loss, logits));
    expectClose(grad.data.subarray(7, 14), new Float64Array(7), 0);
  });

  it('names targets that are out of range or of the wrong shape', () => {
    expectFerryError(() => crossEntropy(logits, tensor([0, 1, 7, 0, 0], [5], 'i32')), 'KERNEL_BAD_INPUT', 'targets', 'targets[2] = 7', '[0, 7)');
    expectFerryError(() => crossEntropy(logits, tensor([0, 1], [2], 'i32')), 'TENSOR_SHAPE', 'targets', '[2]', '[5]');
    expectFerryError(() => crossEntropy(logits, Tensor.zeros([5])), 'KERNEL_BAD_INPUT', 'targets', 'i32');
  });
});
