import {
  checkNf4Tensor,
  NF4_ABSMAX_BLOCK_SIZE,
  NF4_BLOCK_SIZE,
  nf4MatmulArgs,
  quantizeNf4Args,
  shapeSize,
  Tensor,
  type KernelSet,
  type Nf4Tensor,
} from '@ferry/core';
import type { NativeAddon } from './native-addon.js';
import { ASYNC_ELEMENTS, settle } from './settle.js';

/** QLoRA NF4 quantisation and the fused dequantise + matmul; checked by core's quantizeNf4Args / nf4MatmulArgs like every backend. */
export function nativeNf4(addon: NativeAddon): Pick<KernelSet, 'quantizeNf4' | 'dequantizeNf4' | 'nf4Matmul'> {
  return {
    quantizeNf4(input) {
      const { x, packedBytes, blocks, groups } = quantizeNf4Args(input);
      const packed = Tensor.zeros([packedBytes], 'u8');
      const absmaxQ = Tensor.zeros([blocks], 'i8');
      const absmaxScale = Tensor.zeros([groups], 'f32');
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
    nf4Matmul(input, w) {
      const { x, rows, n, k, outShape } = nf4MatmulArgs(input, w);
      const out = Tensor.zeros(outShape, 'f32');
      const big = rows * n * k >= ASYNC_ELEMENTS * 8;
      return settle(addon.nf4Matmul(x.data, w.packed.data, w.absmaxQ.data, w.absmaxScale.data, w.absmaxMean, out.data, rows, n, k, big), out);
    },
  };
}
