import { Tensor } from '../../tensor/tensor.js';
import { checkTensor, lastDim, shapeError } from '../kernel-checks.js';
import type { Nf4Tensor } from '../kernel-types.js';
import { checkNf4Tensor } from '../nf4-format.js';
import { formatShape } from '../../tensor/tensor-shape.js';
import { decodeNf4Range } from './nf4.js';

/**
 * `x @ dequantize(w)^T` decoding one weight row (K values) at a time, so the
 * f32 weight never exists in full: memory is O(K) beyond the output.
 */
export function nf4Matmul(x: Tensor, w: Nf4Tensor): Tensor<'f32'> {
  checkTensor('nf4Matmul', 'x', x, 'f32');
  checkNf4Tensor('nf4Matmul', 'w', w);
  const k = lastDim('nf4Matmul', 'x', x);
  if (w.shape.length !== 2 || w.shape[1] !== k) {
    throw shapeError('nf4Matmul', 'w', `w has shape ${formatShape(w.shape)} but x ${formatShape(x.shape)} needs [N, ${k}]`, 'Quantize the weight as [out_features, in_features] (the nn.Linear layout) with in_features equal to the last dimension of x.');
  }
  const n = w.shape[0]!;
  const rows = x.size / k;
  const out = Tensor.zeros([...x.shape.slice(0, -1), n], 'f32');
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
