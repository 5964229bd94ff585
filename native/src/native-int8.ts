import { checkShapeEquals, checkTensor, formatShape, Tensor, type KernelSet } from '@ferry/core';
import type { NativeAddon } from './native-addon.js';
import { ASYNC_ELEMENTS, settle } from './settle.js';

/** Per-row symmetric int8 quantisation; checks mirror the js reference. */
export function nativeInt8(addon: NativeAddon): Pick<KernelSet, 'quantizeInt8' | 'dequantizeInt8'> {
  return {
    quantizeInt8(x) {
      checkTensor('quantizeInt8', 'x', x, 'f32', [2]);
      const [rows, cols] = x.shape as [number, number];
      const q = Tensor.zeros([rows, cols], 'i8');
      const scale = Tensor.zeros([rows], 'f32');
      return settle(addon.quantizeInt8(x.data, q.data, scale.data, rows, cols, x.size >= ASYNC_ELEMENTS), { q, scale });
    },
    dequantizeInt8(q, scale) {
      checkTensor('dequantizeInt8', 'q', q, 'i8', [2]);
      checkTensor('dequantizeInt8', 'scale', scale, 'f32', [1]);
      const [rows, cols] = q.shape as [number, number];
      checkShapeEquals('dequantizeInt8', 'scale', scale, [rows], `one scale per row of q ${formatShape(q.shape)}`);
      const y = Tensor.zeros([rows, cols], 'f32');
      return settle(addon.dequantizeInt8(q.data, scale.data, y.data, rows, cols, q.size >= ASYNC_ELEMENTS), y);
    },
  };
}
