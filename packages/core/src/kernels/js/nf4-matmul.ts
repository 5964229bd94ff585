import { Tensor } from '../../tensor/tensor.js';
import { nf4MatmulArgs } from '../kernel-args/nf4-matmul-args.js';
import type { Nf4Tensor } from '../kernel-types.js';
import { decodeNf4Range } from './nf4.js';

/**
 * `x @ dequantize(w)^T` decoding one weight row (K values) at a time, so the
 * f32 weight never exists in full: memory is O(K) beyond the output.
 */
export function nf4Matmul(input: Tensor, w: Nf4Tensor): Tensor<'f32'> {
  const { x, rows, n, k, outShape } = nf4MatmulArgs(input, w);
  const out = Tensor.zeros(outShape, 'f32');
  const weightRow = new Float32Array(k);
  for (let j = 0; j < n; j++) {
    decodeNf4Range(w, j * k, weightRow);
    for (let i = 0; i < rows; i++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += x.data[i * k + p]! * weightRow[p]!;
      out.data[i * n + j] = sum;
    }
  }
  return out;
}
