import { adamwArgs, type KernelSet } from '@ferry/core';
import type { NativeAddon } from './native-addon.js';
import { ASYNC_ELEMENTS, settle } from './settle.js';

/** One AdamW step in place; checked by core's adamwArgs like every backend. */
export function nativeAdamw(addon: NativeAddon): Pick<KernelSet, 'adamw'> {
  return {
    adamw(paramInput, gradInput, mInput, vInput, options) {
      const { param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step } = adamwArgs(paramInput, gradInput, mInput, vInput, options);
      const pending = addon.adamw(param.data, grad.data, m.data, v.data, param.size, lr, beta1, beta2, eps, weightDecay, step, param.size >= ASYNC_ELEMENTS);
      return settle(pending, undefined);
    },
  };
}
