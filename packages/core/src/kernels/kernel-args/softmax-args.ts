import { shapeSize } from '../../tensor/tensor-shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkShapeEquals, checkTensor, lastDim } from '../kernel-checks.js';

/** Entry checks of `softmax`, shared by every backend: x as `rows` rows of its last dimension d. */
export function softmaxArgs(x: Tensor): { x: Tensor<'f32'>; rows: number; d: number } {
  checkTensor('softmax', 'x', x, 'f32');
  const d = lastDim('softmax', 'x', x);
  return { x, rows: rowsBefore(x), d };
}

/** Entry checks of `softmaxBackward`, from the softmax output y and its gradient dy. */
export function softmaxBackwardArgs(y: Tensor, dy: Tensor): { y: Tensor<'f32'>; dy: Tensor<'f32'>; rows: number; d: number } {
  checkTensor('softmaxBackward', 'y', y, 'f32');
  checkTensor('softmaxBackward', 'dy', dy, 'f32');
  checkShapeEquals('softmaxBackward', 'dy', dy, y.shape, 'the gradient has the shape of the softmax output y');
  const d = lastDim('softmaxBackward', 'y', y);
  return { y, dy, rows: rowsBefore(y), d };
}

/** Counted from the shape rather than size / d, which is NaN when d = 0. */
function rowsBefore(t: Tensor): number {
  return shapeSize(t.shape.slice(0, -1));
}
