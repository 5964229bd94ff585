import { formatShape } from '../../tensor/tensor-shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkShapeEquals, checkTensor } from '../kernel-checks.js';

/** Entry check of `quantizeInt8`, shared by every backend: x is [rows, cols]. */
export function quantizeInt8Args(x: Tensor): { x: Tensor<'f32'>; rows: number; cols: number } {
  checkTensor('quantizeInt8', 'x', x, 'f32', [2]);
  const [rows, cols] = x.shape as [number, number];
  return { x, rows, cols };
}

/** Entry checks of `dequantizeInt8`: q is [rows, cols] with one scale per row. */
export function dequantizeInt8Args(q: Tensor, scale: Tensor): { q: Tensor<'i8'>; scale: Tensor<'f32'>; rows: number; cols: number } {
  checkTensor('dequantizeInt8', 'q', q, 'i8', [2]);
  checkTensor('dequantizeInt8', 'scale', scale, 'f32', [1]);
  const [rows, cols] = q.shape as [number, number];
  checkShapeEquals('dequantizeInt8', 'scale', scale, [rows], `one scale per row of q ${formatShape(q.shape)}`);
  return { q, scale, rows, cols };
}
