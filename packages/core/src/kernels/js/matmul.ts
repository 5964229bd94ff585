import { formatShape, sameShape } from '../../tensor/tensor-shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { badInput, checkNumber, checkTensor, shapeError } from '../kernel-checks.js';
import type { MatmulOptions } from '../kernel-types.js';

/**
 * Reference GEMM. Both operands are first brought to "rows of K" form (op(a)
 * as [M, K], op(b)^T as [N, K]) so every output element is one contiguous
 * dot product, accumulated in f64 (JS numbers) and rounded once to f32.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor<'f32'> {
  checkTensor('matmul', 'a', a, 'f32', [2, 3]);
  checkTensor('matmul', 'b', b, 'f32', [2, 3]);
  const { transA = false, transB = false, alpha = 1, c } = options;
  checkNumber('matmul', 'options.alpha', alpha, {});
  if (a.rank === 2 && b.rank === 3) {
    throw shapeError('matmul', 'b', `b is batched ${formatShape(b.shape)} but a is 2-D ${formatShape(a.shape)}`, 'Give a the batch dimension too (a.reshape([1, M, K]) broadcasts only for b), or loop over the batch.');
  }
  const batch = a.rank === 3 ? (a.shape[0] ?? 1) : 1;
  if (b.rank === 3 && b.shape[0] !== batch) {
    throw shapeError('matmul', 'b', `batch sizes differ: a ${formatShape(a.shape)}, b ${formatShape(b.shape)}`, 'Use the same leading batch dimension, or a 2-D b to share it across the batch.');
  }
  const [a0, a1] = a.shape.slice(-2) as [number, number];
  const [b0, b1] = b.shape.slice(-2) as [number, number];
  const [m, k] = transA ? [a1, a0] : [a0, a1];
  const [kb, n] = transB ? [b1, b0] : [b0, b1];
  if (k !== kb) {
    throw shapeError(
      'matmul',
      'b',
      `inner dimensions differ: op(a) is [${m}, ${k}] (a ${formatShape(a.shape)}${transA ? ', transA' : ''}), op(b) is [${kb}, ${n}] (b ${formatShape(b.shape)}${transB ? ', transB' : ''})`,
      `Pass b with ${k} rows (or ${k} columns with transB: true), or fix transA/transB.`,
    );
  }
  const outShape = a.rank === 3 ? [batch, m, n] : [m, n];
  const beta = options.beta ?? (c === undefined ? 0 : 1);
  checkNumber('matmul', 'options.beta', beta, {});
  if (c === undefined && beta !== 0) {
    throw badInput('matmul', 'options.beta', `beta = ${beta} but no c was given to scale`, 'Pass options.c with the output shape, or drop beta.');
  }
  if (c !== undefined) {
    checkTensor('matmul', 'options.c', c, 'f32');
    if (!sameShape(c.shape, outShape)) {
      throw shapeError('matmul', 'options.c', `c has shape ${formatShape(c.shape)} but the output is ${formatShape(outShape)}`, `Pass c with shape ${formatShape(outShape)}.`);
    }
  }

  const out = Tensor.zeros(outShape, 'f32');
  const sharedBt = b.rank === 2 ? rowsOfK(b.data, 0, b0, b1, !transB) : undefined;
  for (let batchIndex = 0; batchIndex < batch; batchIndex++) {
    const A = rowsOfK(a.data, batchIndex * m * k, a0, a1, transA);
    const Bt = sharedBt ?? rowsOfK(b.data, batchIndex * k * n, b0, b1, !transB);
    const base = batchIndex * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += A[i * k + p]! * Bt[j * k + p]!;
        // BLAS semantics: with beta = 0, c is not read (it may hold NaN).
        const prior = beta === 0 || c === undefined ? 0 : beta * c.data[base + i * n + j]!;
        out.data[base + i * n + j] = alpha * sum + prior;
      }
    }
  }
  return out;
}

/** The stored [rows, cols] matrix at `offset`, as is or transposed, as a contiguous row-major block. */
function rowsOfK(data: Float32Array, offset: number, rows: number, cols: number, transpose: boolean): Float32Array {
  const block = data.subarray(offset, offset + rows * cols);
  if (!transpose) return block;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let col = 0; col < cols; col++) out[col * rows + r] = block[r * cols + col]!;
  }
  return out;
}
