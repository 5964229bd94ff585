import type { Tensor } from '../../tensor/tensor.js';
import { checkShapeEquals, checkTensor } from '../kernel-checks.js';

/** The elementwise activations and their gradients. */
export type ActivationKernel = 'silu' | 'gelu';
export type ActivationBackwardKernel = 'siluBackward' | 'geluBackward';

/** Entry check of silu / gelu, shared by every backend so errors read the same. */
export function activationArgs(kernel: ActivationKernel, x: Tensor): { x: Tensor<'f32'> } {
  checkTensor(kernel, 'x', x, 'f32');
  return { x };
}

/** Entry checks of siluBackward / geluBackward: dy has the shape of x. */
export function activationBackwardArgs(kernel: ActivationBackwardKernel, x: Tensor, dy: Tensor): { x: Tensor<'f32'>; dy: Tensor<'f32'> } {
  checkTensor(kernel, 'x', x, 'f32');
  checkTensor(kernel, 'dy', dy, 'f32');
  checkShapeEquals(kernel, 'dy', dy, x.shape, 'the gradient has the shape of x');
  return { x, dy };
}
