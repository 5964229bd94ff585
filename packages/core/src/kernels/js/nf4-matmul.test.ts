import { describe, expect, it } from 'vitest';
import { randomNormal, randomUniform } from '../../tensor/random-tensor.js';
import { createRng } from '../../tensor/seeded-rng.js';
import { Tensor } from '../../tensor/tensor.js';
import { expectClose, expectFerryError } from './kernel-test-utils.test-helper.js';
import { matmul } from './matmul.js';
import { nf4Matmul } from './nf4-matmul.js';
import { dequantizeNf4, quantizeNf4 } from './nf4.js';

describe('nf4Matmul', () => {
  const rng = createRng(12);

  it.each([
    [1, 1, 1],
    [3, 33, 5],
    [4, 64, 17],
    [2, 65, 70],
  ])('equals x @ dequantize(w)^T for M=%i K=%i N=%i (rows not aligned to blocks or bytes)', (m, k, n) => {
    const x = randomUniform(rng, [m, k]);
    const w = quantizeNf4(randomNormal(rng, [n, k], 0, 0.1));
    const out = nf4Matmul(x, w);
    expect(out.shape).toEqual([m, n]);
    expectClose(out.data, matmul(x, dequantizeNf4(w), { transB: true }).data, 1e-6, 1e-5);
  });

  it('keeps the leading dimensions of a [B, T, K] input', () => {
    const x = randomUniform(rng, [2, 3, 9]);
    const w = quantizeNf4(randomNormal(rng, [4, 9]));
    const out = nf4Matmul(x, w);
    expect(out.shape).toEqual([2, 3, 4]);
    expectClose(out.data, nf4Matmul(x.reshape([6, 9]), w).data, 0);
  });

  it('names w when its in-features differ from x', () => {
    const w = quantizeNf4(randomNormal(rng, [4, 9]));
    expectFerryError(() => nf4Matmul(Tensor.zeros([2, 8]), w), 'TENSOR_SHAPE', 'w', '[4, 9]', '[N, 8]');
    expectFerryError(() => nf4Matmul(Tensor.zeros([2, 36]), quantizeNf4(randomNormal(rng, [36]))), 'TENSOR_SHAPE', 'w', '[36]');
  });
});
