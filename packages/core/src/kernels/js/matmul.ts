import { Tensor } from '../../tensor/tensor.js';
import { matmulArgs } from '../kernel-args/matmul-args.js';
import type { MatmulOptions } from '../kernel-types.js';

/**
 * Reference GEMM. Both operands are first brought to "rows of K" form (op(a)
 * as [M, K], op(b)^T as [N, K]) so every output element is one contiguous
 * dot product, accumulated in f64 (JS numbers) and rounded once to f32.
 */
export function matmul(left: Tensor, right: Tensor, options: MatmulOptions = {}): Tensor<'f32'> {
  const { a, b, c, batch, m, n, k, outShape, transA, transB, alpha, beta, broadcastB } = matmulArgs(left, right, options);
  const [a0, a1] = a.shape.slice(-2) as [number, number];
  const [b0, b1] = b.shape.slice(-2) as [number, number];
  const out = Tensor.zeros(outShape, 'f32');
  const sharedBt = broadcastB ? rowsOfK(b.data, 0, b0, b1, !transB) : undefined;
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
