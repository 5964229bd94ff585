import type { Tensor } from '../../tensor/tensor.js';
import { adamwArgs } from '../kernel-args/adamw-args.js';
import type { AdamWOptions } from '../kernel-types.js';

/**
 * One AdamW step in place (Loshchilov & Hutter; same arithmetic as
 * torch.optim.AdamW): the weight decay shrinks the parameter directly
 * instead of being added to the gradient, then the bias-corrected Adam update
 * is applied.
 */
export function adamw(paramInput: Tensor, gradInput: Tensor, mInput: Tensor, vInput: Tensor, options: AdamWOptions): void {
  const { param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step } = adamwArgs(paramInput, gradInput, mInput, vInput, options);
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
