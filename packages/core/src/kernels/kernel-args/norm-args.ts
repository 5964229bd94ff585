import { shapeSize } from '../../tensor/tensor-shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkNumber, checkShapeEquals, checkTensor, lastDim } from '../kernel-checks.js';
import type { LayerNormOptions, RmsNormOptions } from '../kernel-types.js';

/** A validated norm call: x normalised over its last dimension d, as `rows` rows. */
export interface NormArgs {
  x: Tensor<'f32'>;
  gamma: Tensor<'f32'>;
  rows: number;
  d: number;
  eps: number;
}

/*
 * Entry checks of layernorm and rmsnorm and their gradients, shared by every
 * backend so errors read the same. Defaults follow PyTorch: eps 1e-5 for
 * LayerNorm, 1e-6 for RMSNorm (as in Llama).
 */

export function layernormArgs(x: Tensor, gamma: Tensor, beta: Tensor, options: LayerNormOptions = {}): NormArgs & { beta: Tensor<'f32'> } {
  checkTensor('layernorm', 'x', x, 'f32');
  checkTensor('layernorm', 'gamma', gamma, 'f32');
  checkTensor('layernorm', 'beta', beta, 'f32');
  const args = normArgs('layernorm', x, gamma, options.eps ?? 1e-5);
  checkShapeEquals('layernorm', 'beta', beta, [args.d], 'one shift per element of the last dimension of x');
  return { ...args, beta };
}

export function layernormBackwardArgs(x: Tensor, gamma: Tensor, dy: Tensor, options: LayerNormOptions = {}): NormArgs & { dy: Tensor<'f32'> } {
  return backwardArgs('layernormBackward', x, gamma, dy, options.eps ?? 1e-5);
}

export function rmsnormArgs(x: Tensor, gamma: Tensor, options: RmsNormOptions = {}): NormArgs {
  checkTensor('rmsnorm', 'x', x, 'f32');
  checkTensor('rmsnorm', 'gamma', gamma, 'f32');
  return normArgs('rmsnorm', x, gamma, options.eps ?? 1e-6);
}

export function rmsnormBackwardArgs(x: Tensor, gamma: Tensor, dy: Tensor, options: RmsNormOptions = {}): NormArgs & { dy: Tensor<'f32'> } {
  return backwardArgs('rmsnormBackward', x, gamma, dy, options.eps ?? 1e-6);
}

function backwardArgs(kernel: string, x: Tensor, gamma: Tensor, dy: Tensor, eps: number): NormArgs & { dy: Tensor<'f32'> } {
  checkTensor(kernel, 'x', x, 'f32');
  checkTensor(kernel, 'gamma', gamma, 'f32');
  checkTensor(kernel, 'dy', dy, 'f32');
  const args = normArgs(kernel, x, gamma, eps);
  checkShapeEquals(kernel, 'dy', dy, x.shape, 'the gradient has the shape of x');
  return { ...args, dy };
}

function normArgs(kernel: string, x: Tensor<'f32'>, gamma: Tensor<'f32'>, eps: number): NormArgs {
  const d = lastDim(kernel, 'x', x);
  checkShapeEquals(kernel, 'gamma', gamma, [d], 'one scale per element of the last dimension of x');
  checkNumber(kernel, 'options.eps', eps, { min: 0 });
  // Counted from the shape rather than x.size / d, which is NaN when d = 0.
  return { x, gamma, rows: shapeSize(x.shape.slice(0, -1)), d, eps };
}
