import { shapeSize } from '../../tensor/tensor-shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { quantizeNf4Args } from '../kernel-args/quantize-nf4-args.js';
import type { Nf4Tensor } from '../kernel-types.js';
import {
  checkNf4Tensor,
  NF4_ABSMAX_BLOCK_SIZE,
  NF4_BLOCK_SIZE,
  NF4_CODEBOOK,
  nearestNf4Code,
  nf4CodeAt,
} from '../nf4-format.js';
import { roundToInt8 } from './int8.js';

/**
 * QLoRA NF4: each block of 64 values (over the flattened tensor; the last
 * block may be shorter) is divided by its absmax and rounded to the nearest
 * NF4 level. The block absmax values are then double-quantised: their mean is
 * subtracted and the rest stored as int8 with one symmetric absmax scale per
 * 256 blocks. bitsandbytes uses its dynamic 8-bit code map for that second
 * step; plain symmetric int8 is simpler and its error is of the same order.
 */
export function quantizeNf4(input: Tensor): Nf4Tensor {
  const { x, packedBytes, blocks, groups } = quantizeNf4Args(input);
  const packed = Tensor.zeros([packedBytes], 'u8');
  const absmax = new Float64Array(blocks);
  for (let block = 0; block < blocks; block++) {
    const start = block * NF4_BLOCK_SIZE;
    const end = Math.min(start + NF4_BLOCK_SIZE, x.size);
    let max = 0;
    for (let i = start; i < end; i++) max = Math.max(max, Math.abs(x.data[i]!));
    absmax[block] = max;
    for (let i = start; i < end; i++) {
      const code = nearestNf4Code(max === 0 ? 0 : x.data[i]! / max);
      packed.data[i >> 1]! |= i % 2 === 0 ? code << 4 : code;
    }
  }
  const absmaxMean = Math.fround(blocks === 0 ? 0 : absmax.reduce((sum, value) => sum + value, 0) / blocks);
  const absmaxQ = Tensor.zeros([blocks], 'i8');
  const absmaxScale = Tensor.zeros([groups], 'f32');
  for (let group = 0; group < groups; group++) {
    const start = group * NF4_ABSMAX_BLOCK_SIZE;
    const end = Math.min(start + NF4_ABSMAX_BLOCK_SIZE, blocks);
    let max = 0;
    for (let b = start; b < end; b++) max = Math.max(max, Math.abs(absmax[b]! - absmaxMean));
    absmaxScale.data[group] = max / 127;
    const scale = absmaxScale.data[group]!;
    if (scale === 0) continue;
    for (let b = start; b < end; b++) absmaxQ.data[b] = roundToInt8((absmax[b]! - absmaxMean) / scale);
  }
  return {
    shape: Object.freeze([...x.shape]),
    packed,
    absmaxQ,
    absmaxScale,
    absmaxMean,
    blockSize: NF4_BLOCK_SIZE,
    absmaxBlockSize: NF4_ABSMAX_BLOCK_SIZE,
  };
}

export function dequantizeNf4(nf: Nf4Tensor): Tensor<'f32'> {
  checkNf4Tensor('dequantizeNf4', 'nf', nf);
  const out = Tensor.zeros(nf.shape, 'f32');
  decodeNf4Range(nf, 0, out.data);
  return out;
}

/**
 * Decodes elements [start, start + out.length) of the flattened tensor into
 * `out`, so callers can dequantise a row at a time. Expects a checked Nf4Tensor.
 */
export function decodeNf4Range(nf: Nf4Tensor, start: number, out: Float32Array): void {
  const size = shapeSize(nf.shape);
  const end = Math.min(start + out.length, size);
  let block = -1;
  let blockAbsmax = 0;
  for (let i = start; i < end; i++) {
    const b = Math.floor(i / NF4_BLOCK_SIZE);
    if (b !== block) {
      block = b;
      const groupScale = nf.absmaxScale.data[Math.floor(b / NF4_ABSMAX_BLOCK_SIZE)]!;
      blockAbsmax = nf.absmaxQ.data[b]! * groupScale + nf.absmaxMean;
    }
    out[i - start] = NF4_CODEBOOK[nf4CodeAt(nf.packed.data, i)]! * blockAbsmax;
  }
}
