import {
  checkNf4Tensor,
  checkTensor,
  formatShape,
  lastDim,
  NF4_ABSMAX_BLOCK_SIZE,
  NF4_BLOCK_SIZE,
  shapeError,
  shapeSize,
  Tensor,
  type KernelSet,
  type Nf4Tensor,
} from '@ferry/core';
import type { NativeAddon } from './native-addon.js';
import { ASYNC_ELEMENTS, settle } from './settle.js';

/** QLoRA NF4 quantisation and the fused dequantise + matmul; checks mirror the js reference. */
export function nativeNf4(addon: NativeAddon): Pick<KernelSet, 'quantizeNf4' | 'dequantizeNf4' | 'nf4Matmul'> {
  return {
    quantizeNf4(x) {
      checkTensor('quantizeNf4', 'x', x, 'f32');
      const blocks = Math.ceil(x.size / NF4_BLOCK_SIZE);
      const packed = Tensor.zeros([Math.ceil(x.size / 2)], 'u8');
      const absmaxQ = Tensor.zeros([blocks], 'i8');
      const absmaxScale = Tensor.zeros([Math.ceil(blocks / NF4_ABSMAX_BLOCK_SIZE)], 'f32');
      const mean = new Float64Array(1);
      const pending = addon.quantizeNf4(x.data, packed.data, absmaxQ.data, absmaxScale.data, mean, x.size, x.size >= ASYNC_ELEMENTS);
      const result = (): Nf4Tensor => ({
        shape: Object.freeze([...x.shape]),
        packed,
        absmaxQ,
        absmaxScale,
        absmaxMean: mean[0]!,
        blockSize: NF4_BLOCK_SIZE,
        absmaxBlockSize: NF4_ABSMAX_BLOCK_SIZE,
      });
      return pending === undefined ? result() : pending.then(result);
    },
    dequantizeNf4(nf) {
      checkNf4Tensor('dequantizeNf4', 'nf', nf);
      const size = shapeSize(nf.shape);
      const y = Tensor.zeros(nf.shape, 'f32');
      return settle(addon.dequantizeNf4(nf.packed.data, nf.absmaxQ.data, nf.absmaxScale.data, nf.absmaxMean, y.data, size, size >= ASYNC_ELEMENTS), y);
    },
    nf4Matmul(x, w) {
      checkTensor('nf4Matmul', 'x', x, 'f32');
      checkNf4Tensor('nf4Matmul', 'w', w);
      const k = lastDim('nf4Matmul', 'x', x);
      if (w.shape.length !== 2 || w.shape[1] !== k) {
        throw shapeError('nf4Matmul', 'w', `w has shape ${formatShape(w.shape)} but x ${formatShape(x.shape)} needs [N, ${k}]`, 'Quantize the weight as [out_features, in_features] (the nn.Linear layout) with in_features equal to the last dimension of x.');
      }
      const n = w.shape[0]!;
      const rows = x.size / k;
      const out = Tensor.zeros([...x.shape.slice(0, -1), n], 'f32');
      const big = rows * n * k >= ASYNC_ELEMENTS * 8;
      return settle(addon.nf4Matmul(x.data, w.packed.data, w.absmaxQ.data, w.absmaxScale.data, w.absmaxMean, out.data, rows, n, k, big), out);
    },
  };
}
