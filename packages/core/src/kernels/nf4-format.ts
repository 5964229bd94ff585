import { formatShape, shapeSize } from '../tensor/tensor-shape.js';
import { badInput, checkTensor, shapeError } from './kernel-checks.js';
import type { Nf4Tensor } from './kernel-types.js';

/**
 * The 16 NormalFloat-4 levels of QLoRA (Dettmers et al. 2023), exactly as
 * bitsandbytes ships them: quantiles of N(0, 1) scaled to [-1, 1], with an
 * exact 0. Index = the 4-bit code.
 */
export const NF4_CODEBOOK: readonly number[] = Object.freeze([
  -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635, -0.18477343022823334,
  -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
  0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
]);

/** Decision thresholds of nearest-level rounding: midpoints between consecutive levels. */
export const NF4_THRESHOLDS: readonly number[] = Object.freeze(
  NF4_CODEBOOK.slice(1).map((level, i) => ((NF4_CODEBOOK[i] ?? level) + level) / 2),
);

export const NF4_BLOCK_SIZE = 64;
export const NF4_ABSMAX_BLOCK_SIZE = 256;

/** The code of the NF4 level nearest to `normalized` (a value in [-1, 1]). */
export function nearestNf4Code(normalized: number): number {
  let code = 0;
  while (code < NF4_THRESHOLDS.length && normalized > (NF4_THRESHOLDS[code] ?? Infinity)) code++;
  return code;
}

/** Element `index`'s 4-bit code: high nibble first (bitsandbytes order). */
export function nf4CodeAt(packed: Uint8Array, index: number): number {
  const byte = packed[index >> 1] ?? 0;
  return index % 2 === 0 ? byte >> 4 : byte & 0x0f;
}

/** Checks that the parts of an Nf4Tensor agree with each other and with its shape. */
export function checkNf4Tensor(kernel: string, field: string, value: Nf4Tensor): void {
  if (value === null || typeof value !== 'object' || !Array.isArray(value.shape)) {
    throw badInput(kernel, field, `${field} must be an Nf4Tensor (from quantizeNf4)`, 'Quantize the weight with quantizeNf4 and pass the object it returns.');
  }
  if (value.blockSize !== NF4_BLOCK_SIZE || value.absmaxBlockSize !== NF4_ABSMAX_BLOCK_SIZE) {
    throw badInput(kernel, `${field}.blockSize`, `${field} uses blocks of ${value.blockSize} / ${value.absmaxBlockSize}, only ${NF4_BLOCK_SIZE} / ${NF4_ABSMAX_BLOCK_SIZE} are supported`, 'Re-quantize the weight with quantizeNf4.');
  }
  checkTensor(kernel, `${field}.packed`, value.packed, 'u8', [1]);
  checkTensor(kernel, `${field}.absmaxQ`, value.absmaxQ, 'i8', [1]);
  checkTensor(kernel, `${field}.absmaxScale`, value.absmaxScale, 'f32', [1]);
  if (!Number.isFinite(value.absmaxMean)) {
    throw badInput(kernel, `${field}.absmaxMean`, `${field}.absmaxMean = ${String(value.absmaxMean)} is not a finite number`, 'Re-quantize the weight with quantizeNf4.');
  }
  const size = shapeSize(value.shape);
  const blocks = Math.ceil(size / NF4_BLOCK_SIZE);
  const expected: Array<[string, number, number]> = [
    ['packed', value.packed.size, Math.ceil(size / 2)],
    ['absmaxQ', value.absmaxQ.size, blocks],
    ['absmaxScale', value.absmaxScale.size, Math.ceil(blocks / NF4_ABSMAX_BLOCK_SIZE)],
  ];
  for (const [part, actual, wanted] of expected) {
    if (actual !== wanted) {
      throw shapeError(kernel, `${field}.${part}`, `${field}.${part} has ${actual} elements but shape ${formatShape(value.shape)} needs ${wanted}`, 'Pass the Nf4Tensor exactly as quantizeNf4 returned it.');
    }
  }
}
