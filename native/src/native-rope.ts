import { checkNumber, checkTensor, formatShape, shapeError, Tensor, type KernelSet, type RopeOptions } from '@ferry/core';
import type { NativeAddon } from './native-addon.js';
import { ASYNC_ELEMENTS, settle } from './settle.js';

/** Rotary embedding and its gradient (the inverse rotation); checks mirror the js reference. */
export function nativeRope(addon: NativeAddon): Pick<KernelSet, 'rope' | 'ropeBackward'> {
  return {
    rope: (x, options) => rotate(addon, 'rope', 'x', x, options, 1),
    ropeBackward: (dy, options) => rotate(addon, 'ropeBackward', 'dy', dy, options, -1),
  };
}

function rotate(addon: NativeAddon, kernel: string, field: string, x: Tensor, options: RopeOptions = {}, direction: 1 | -1): Tensor<'f32'> | Promise<Tensor<'f32'>> {
  checkTensor(kernel, field, x, 'f32', [4]);
  const [batch, time, heads, dim] = x.shape as [number, number, number, number];
  if (dim % 2 !== 0) {
    throw shapeError(kernel, field, `${field} has shape ${formatShape(x.shape)}: the head dimension D = ${dim} must be even`, 'Use an even head dimension; rope rotates pairs (i, i + D/2).');
  }
  const { theta = 10000, positionOffset = 0 } = options;
  checkNumber(kernel, 'options.theta', theta, { above: 0 });
  checkNumber(kernel, 'options.positionOffset', positionOffset, { integer: true, min: 0 });
  const y = Tensor.zeros(x.shape, 'f32');
  return settle(addon.rope(x.data, y.data, batch, time, heads, dim, theta, positionOffset, direction, x.size >= ASYNC_ELEMENTS), y);
}
