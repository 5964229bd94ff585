import { dequantizeInt8Args, quantizeInt8Args, Tensor, type KernelSet } from '@ferry/core';
import type { NativeAddon } from './native-addon.js';
import { ASYNC_ELEMENTS, settle } from './settle.js';

/** Per-row symmetric int8 quantisation; checked by core's int8 *Args like every backend. */
export function nativeInt8(addon: NativeAddon): Pick<KernelSet, 'quantizeInt8' | 'dequantizeInt8'> {
  return {
    quantizeInt8(input) {
      const { x, rows, cols } = quantizeInt8Args(input);
      const q = Tensor.zeros([rows, cols], 'i8');
      const scale = Tensor.zeros([rows], 'f32');
      return settle(addon.quantizeInt8(x.data, q.data, scale.data, rows, cols, x.size >= ASYNC_ELEMENTS), { q, scale });
    },
    dequantizeInt8(qInput, scaleInput) {
      const { q, scale, rows, cols } = dequantizeInt8Args(qInput, scaleInput);
      const y = Tensor.zeros([rows, cols], 'f32');
      return settle(addon.dequantizeInt8(q.data, scale.data, y.data, rows, cols, q.size >= ASYNC_ELEMENTS), y);
    },
  };
}
