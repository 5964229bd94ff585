import type { Tensor } from '../../tensor/tensor.js';
import { checkNumber, checkShapeEquals, checkTensor } from '../kernel-checks.js';
import type { AdamWOptions } from '../kernel-types.js';

/**
 * One AdamW step in place (Loshchilov & Hutter; same arithmetic as
 * torch.optim.AdamW): the weight decay shrinks the parameter directly
 * instead of being added to the gradient, then the bias-corrected Adam update
 * is applied.
 */
export function adamw(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, options: AdamWOptions): void {
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
  const p = param.data;
  const g = grad.data;
  const mData = m.data;
  const vData = v.data;
  const correction1 = 1 - beta1 ** step;
  const correction2 = 1 - beta2 ** step;
  const decay = 1 - lr * weightDecay;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i]!;
    const mi = beta1 * mData[i]! + (1 - beta1) * gi;
    const vi = beta2 * vData[i]! + (1 - beta2) * gi * gi;
    mData[i] = mi;
    vData[i] = vi;
    p[i] = p[i]! * decay - (lr * (mi / correction1)) / (Math.sqrt(vi / correction2) + eps);
  }
}
