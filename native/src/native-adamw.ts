import { checkNumber, checkShapeEquals, checkTensor, type KernelSet } from '@ferry/core';
import type { NativeAddon } from './native-addon.js';
import { ASYNC_ELEMENTS, settle } from './settle.js';

/** One AdamW step in place; checks mirror the js reference. */
export function nativeAdamw(addon: NativeAddon): Pick<KernelSet, 'adamw'> {
  return {
    adamw(param, grad, m, v, options) {
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
      const pending = addon.adamw(param.data, grad.data, m.data, v.data, param.size, lr, beta1, beta2, eps, weightDecay, step, param.size >= ASYNC_ELEMENTS);
      return settle(pending, undefined);
    },
  };
}
