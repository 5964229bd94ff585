import { describe, expect, it } from 'vitest';
import { randomUniform } from '../../tensor/random-tensor.js';
import { createRng } from '../../tensor/seeded-rng.js';
import { Tensor } from '../../tensor/tensor.js';
import { expectClose, expectFerryError, expectGradientClose, numericGradient, weightedSum } from './kernel-test-utils.test-helper.js';
import { layernorm, layernormBackward } from './layernorm.js';
import { rmsnorm, rmsnormBackward } from './rmsnorm.js';

function rows(t: Tensor, d: number): number[][] {
  return Array.from({ length: t.size / d }, (_, r) => Array.from(t.data.subarray(r * d, r * d + d)));
}

describe('layernorm', () => {
  const rng = createRng(3);
  const d = 7;
  const x = randomUniform(rng, [2, 3, d], -2, 2);
  const gamma = randomUniform(rng, [d], 0.5, 1.5);
  const beta = randomUniform(rng, [d]);

  it('normalises each row to zero mean and unit variance before the affine', () => {
    const expected = rows(x, d).flatMap((row) => {
      const mean = row.reduce((s, v) => s + v, 0) / d;
      const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / d;
      return row.map((v, i) => ((v - mean) / Math.sqrt(variance + 1e-5)) * gamma.data[i]! + beta.data[i]!);
    });
    expectClose(layernorm(x, gamma, beta).data, expected, 1e-5, 1e-5);
  });

  it('backward matches central differences for x, gamma and beta', () => {
    const dy = randomUniform(rng, x.shape);
    const grads = layernormBackward(x, gamma, dy, { eps: 1e-3 });
    const loss = () => weightedSum(layernorm(x, gamma, beta, { eps: 1e-3 }), dy);
    expectGradientClose(grads.dx, numericGradient(loss, x));
    expectGradientClose(grads.dgamma, numericGradient(loss, gamma));
    expectGradientClose(grads.dbeta, numericGradient(loss, beta));
  });

  it('names gamma and beta when their length is not the last dimension', () => {
    expectFerryError(() => layernorm(x, Tensor.zeros([6]), beta), 'TENSOR_SHAPE', 'gamma', '[6]', '[7]');
    expectFerryError(() => layernorm(x, gamma, Tensor.zeros([1, 7])), 'TENSOR_SHAPE', 'beta', '[1, 7]');
    expectFerryError(() => layernorm(x, gamma, beta, { eps: -1 }), 'KERNEL_BAD_INPUT', 'options.eps');
  });
});

describe('rmsnorm', () => {
  const rng = createRng(4);
  const d = 9;
  const x = randomUniform(rng, [4, d], -2, 2);
  const gamma = randomUniform(rng, [d], 0.5, 1.5);

  it('divides each row by its root mean square', () => {
    const expected = rows(x, d).flatMap((row) => {
      const rms = Math.sqrt(row.reduce((s, v) => s + v * v, 0) / d + 1e-6);
      return row.map((v, i) => (v / rms) * gamma.data[i]!);
    });
    expectClose(rmsnorm(x, gamma).data, expected, 1e-5, 1e-5);
    // eps matters for a zero row: the output stays 0 instead of NaN.
    expect([...rmsnorm(Tensor.zeros([1, d]), gamma).data].every((v) => v === 0)).toBe(true);
  });

  it('backward matches central differences for x and gamma', () => {
    const dy = randomUniform(rng, x.shape);
    const grads = rmsnormBackward(x, gamma, dy, { eps: 1e-5 });
    const loss = () => weightedSum(rmsnorm(x, gamma, { eps: 1e-5 }), dy);
    expectGradientClose(grads.dx, numericGradient(loss, x));
    expectGradientClose(grads.dgamma, numericGradient(loss, gamma));
  });

  it('names the argument with the wrong shape', () => {
    expectFerryError(() => rmsnormBackward(x, gamma, Tensor.zeros([d, 4])), 'TENSOR_SHAPE', 'dy', '[9, 4]');
    expectFerryError(() => rmsnorm(x, Tensor.zeros([d], 'i32')), 'KERNEL_BAD_INPUT', 'gamma', 'i32');
  });
});
