import type { Tensor } from '../../tensor/tensor.js';
import { checkNumber, checkShapeEquals, checkTensor } from '../kernel-checks.js';
import type { AdamWOptions } from '../kernel-types.js';

/** A validated adamw call: the checked tensors and every hyperparameter with its default applied. */
export interface AdamWArgs {
  param: Tensor<'f32'>;
  grad: Tensor<'f32'>;
  m: Tensor<'f32'>;
  v: Tensor<'f32'>;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  step: number;
}

/** Entry checks of `adamw`, shared by every backend so errors read the same. */
export function adamwArgs(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, options: AdamWOptions): AdamWArgs {
  checkTensor('adamw', 'param', param, 'f32');
  checkTensor('adamw', 'grad', grad, 'f32');
  checkTensor('adamw', 'm', m, 'f32');
  checkTensor('adamw', 'v', v, 'f32');
  checkShapeEquals('adamw', 'grad', grad, param.shape, 'the gradient has the shape of the parameter');
  checkShapeEquals('adamw', 'm', m, param.shape, 'optimizer state has the shape of the parameter');
  checkShapeEquals('adamw', 'v', v, param.shape, 'optimizer state has the shape of the parameter');
  const { lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.01, step } = options;
  checkNumber('adamw', 'options.lr', lr, { min: 0 });
  checkNumber('adamw', 'options.beta1', beta1, { min: 0, below: 1 });
  checkNumber('adamw', 'options.beta2', beta2, { min: 0, below: 1 });
  checkNumber('adamw', 'options.eps', eps, { min: 0 });
  checkNumber('adamw', 'options.weightDecay', weightDecay, { min: 0 });
  checkNumber('adamw', 'options.step', step, { integer: true, min: 1 });
  return { param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step };
}
