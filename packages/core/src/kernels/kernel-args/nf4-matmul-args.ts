import { formatShape, shapeSize } from '../../tensor/tensor-shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor, lastDim, shapeError } from '../kernel-checks.js';
import type { Nf4Tensor } from '../kernel-types.js';
import { checkNf4Tensor } from '../nf4-format.js';

/** A validated nf4Matmul call: x [..., K] times the [N, K] weight, as `rows` rows of K. */
export interface Nf4MatmulArgs {
  x: Tensor<'f32'>;
  rows: number;
  n: number;
  k: number;
  outShape: number[];
}

/** Entry checks of `nf4Matmul`, shared by every backend so errors read the same. */
export function nf4MatmulArgs(x: Tensor, w: Nf4Tensor): Nf4MatmulArgs {
  checkTensor('nf4Matmul', 'x', x, 'f32');
  checkNf4Tensor('nf4Matmul', 'w', w);
  const k = lastDim('nf4Matmul', 'x', x);
  if (w.shape.length !== 2 || w.shape[1] !== k) {
    throw shapeError('nf4Matmul', 'w', `w has shape ${formatShape(w.shape)} but x ${formatShape(x.shape)} needs [N, ${k}]`, 'Quantize the weight as [out_features, in_features] (the nn.Linear layout) with in_features equal to the last dimension of x.');
  }
  const leading = x.shape.slice(0, -1);
  // Counted from the shape rather than x.size / k, which is NaN when K = 0.
  const rows = shapeSize(leading);
  return { x, rows, n: w.shape[0]!, k, outShape: [...leading, w.shape[0]!] };
}
