import { formatShape } from '../../tensor/tensor-shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkNumber, checkTensor, shapeError } from '../kernel-checks.js';
import type { RopeOptions } from '../kernel-types.js';

/** A validated rope / ropeBackward call: the checked input, its [B, T, H, D] sizes and the resolved options. */
export interface RopeArgs {
  x: Tensor<'f32'>;
  batch: number;
  time: number;
  heads: number;
  dim: number;
  theta: number;
  positionOffset: number;
}

/**
 * Entry checks of `rope` (input `x`) and `ropeBackward` (input `dy`), shared
 * by every backend so errors read the same.
 */
export function ropeArgs(kernel: 'rope' | 'ropeBackward', x: Tensor, options: RopeOptions = {}): RopeArgs {
  const field = kernel === 'rope' ? 'x' : 'dy';
  checkTensor(kernel, field, x, 'f32', [4]);
  const [batch, time, heads, dim] = x.shape as [number, number, number, number];
  if (dim % 2 !== 0) {
    throw shapeError(kernel, field, `${field} has shape ${formatShape(x.shape)}: the head dimension D = ${dim} must be even`, 'Use an even head dimension; rope rotates pairs (i, i + D/2).');
  }
  const { theta = 10000, positionOffset = 0 } = options;
  checkNumber(kernel, 'options.theta', theta, { above: 0 });
  checkNumber(kernel, 'options.positionOffset', positionOffset, { integer: true, min: 0 });
  return { x, batch, time, heads, dim, theta, positionOffset };
}
