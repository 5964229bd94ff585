import { describe, expect, it } from 'vitest';
import { randomUniform } from '../../tensor/random-tensor.js';
import { createRng } from '../../tensor/seeded-rng.js';
import { Tensor, tensor } from '../../tensor/tensor.js';
import { expectClose, expectFerryError } from './kernel-test-utils.test-helper.js';
import { matmul } from './matmul.js';

/** Explicit transpose of a row-major [rows, cols] block. */
function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

/** Textbook triple loop on plain [M,K] x [K,N] blocks. */
function naive(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      for (let p = 0; p < k; p++) out[i * n + j]! += a[i * k + p]! * b[p * n + j]!;
    }
  }
  return out;
}

describe('matmul', () => {
  const rng = createRng(1);

  it.each([
    [1, 1, 1],
    [3, 17, 5],
    [17, 1, 33],
    [64, 65, 3],
  ])('matches the triple loop for M=%i K=%i N=%i under every transpose combination', (m, k, n) => {
    const a = randomUniform(rng, [m, k]);
    const b = randomUniform(rng, [k, n]);
    const expected = naive(a.data, b.data, m, k, n);
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const aIn = transA ? tensor(transpose(a.data, m, k), [k, m]) : a;
        const bIn = transB ? tensor(transpose(b.data, k, n), [n, k]) : b;
        const out = matmul(aIn, bIn, { transA, transB });
        expect(out.shape).toEqual([m, n]);
        expectClose(out.data, expected, 1e-5, 1e-5);
      }
    }
  });

  it('computes alpha * a @ b + beta * c without touching c', () => {
    const a = randomUniform(rng, [4, 6]);
    const b = randomUniform(rng, [6, 3]);
    const c = randomUniform(rng, [4, 3]);
    const before = c.data.slice();
    const out = matmul(a, b, { alpha: 0.5, beta: -2, c });
    const product = naive(a.data, b.data, 4, 6, 3);
    expectClose(out.data, product.map((v, i) => 0.5 * v - 2 * c.data[i]!));
    expect(c.data).toEqual(before);
    // beta defaults to 1 when c is given.
    expectClose(matmul(a, b, { c }).data, product.map((v, i) => v + c.data[i]!));
  });

  it('does not read c when beta is 0 (BLAS semantics)', () => {
    const c = Tensor.from(new Float32Array([NaN, NaN, NaN, NaN]), [2, 2]);
    const out = matmul(tensor([[1, 2], [3, 4]]), tensor([[1, 0], [0, 1]]), { c, beta: 0 });
    expect(out.toArray()).toEqual([[1, 2], [3, 4]]);
  });

  it('multiplies batches, and broadcasts a 2-D b over the batch', () => {
    const a = randomUniform(rng, [3, 5, 7]);
    const b3 = randomUniform(rng, [3, 7, 2]);
    const b2 = randomUniform(rng, [7, 2]);
    const batched = matmul(a, b3);
    const broadcast = matmul(a, b2);
    expect(batched.shape).toEqual([3, 5, 2]);
    for (let i = 0; i < 3; i++) {
      expectClose(batched.slice(i, i + 1).data, naive(a.slice(i, i + 1).data, b3.slice(i, i + 1).data, 5, 7, 2));
      expectClose(broadcast.slice(i, i + 1).data, naive(a.slice(i, i + 1).data, b2.data, 5, 7, 2));
    }
  });

  it('applies transposes per batch item', () => {
    const a = randomUniform(rng, [2, 7, 5]); // stored [B, K, M]
    const b = randomUniform(rng, [2, 3, 7]); // stored [B, N, K]
    const out = matmul(a, b, { transA: true, transB: true });
    for (let i = 0; i < 2; i++) {
      const ai = transpose(a.slice(i, i + 1).data, 7, 5);
      const bi = transpose(b.slice(i, i + 1).data, 3, 7);
      expectClose(out.slice(i, i + 1).data, naive(ai, bi, 5, 7, 3));
    }
  });

  it('names the argument and both shapes when inner dimensions differ', () => {
    expectFerryError(() => matmul(Tensor.zeros([2, 3]), Tensor.zeros([4, 5])), 'TENSOR_SHAPE', 'b', '[2, 3]', '[4, 5]');
    expectFerryError(() => matmul(Tensor.zeros([2, 3]), Tensor.zeros([2, 3, 4])), 'TENSOR_SHAPE', 'b', 'batched');
    expectFerryError(() => matmul(Tensor.zeros([2, 2, 3]), Tensor.zeros([3, 3, 4])), 'TENSOR_SHAPE', 'b', 'batch');
  });

  it('rejects a wrong c, beta without c, and non-f32 inputs', () => {
    const a = Tensor.zeros([2, 3]);
    const b = Tensor.zeros([3, 4]);
    expectFerryError(() => matmul(a, b, { c: Tensor.zeros([4, 2]) }), 'TENSOR_SHAPE', 'options.c', '[4, 2]', '[2, 4]');
    expectFerryError(() => matmul(a, b, { beta: 1 }), 'KERNEL_BAD_INPUT', 'options.beta');
    expectFerryError(() => matmul(Tensor.zeros([2, 3], 'i32'), b), 'KERNEL_BAD_INPUT', 'a', 'f32', 'i32');
    expectFerryError(() => matmul(Tensor.zeros([6]), b), 'TENSOR_SHAPE', 'a', '[6]');
  });
});
