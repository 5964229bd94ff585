import { ropeArgs, Tensor, type KernelSet, type RopeOptions } from '@ferry/core';
import type { NativeAddon } from './native-addon.js';
import { ASYNC_ELEMENTS, settle } from './settle.js';

/** Rotary embedding and its gradient (the inverse rotation); checked by core's ropeArgs like every backend. */
export function nativeRope(addon: NativeAddon): Pick<KernelSet, 'rope' | 'ropeBackward'> {
  return {
    rope: (x, options) => rotate(addon, 'rope', x, options, 1),
    ropeBackward: (dy, options) => rotate(addon, 'ropeBackward', dy, options, -1),
  };
}

function rotate(addon: NativeAddon, kernel: 'rope' | 'ropeBackward', input: Tensor, options: RopeOptions | undefined, direction: 1 | -1): Tensor<'f32'> | Promise<Tensor<'f32'>> {
  const { x, batch, time, heads, dim, theta, positionOffset } = ropeArgs(kernel, input, options);
  const y = Tensor.zeros(x.shape, 'f32');
  return settle(addon.rope(x.data, y.data, batch, time, heads, dim, theta, positionOffset, direction, x.size >= ASYNC_ELEMENTS), y);
}
