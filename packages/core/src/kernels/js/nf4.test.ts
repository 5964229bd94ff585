import { describe, expect, it } from 'vitest';
import { randomNormal } from '../../tensor/random-tensor.js';
import { createRng } from '../../tensor/seeded-rng.js';
import { Tensor, tensor } from '../../tensor/tensor.js';
import { NF4_CODEBOOK, NF4_THRESHOLDS, nearestNf4Code } from '../nf4-format.js';
import { expectFerryError } from './kernel-test-utils.test-helper.js';
import { decodeNf4Range, dequantizeNf4, quantizeNf4 } from './nf4.js';

/** Largest distance from any point of [-1, 1] to its nearest level. */
const HALF_GAP = Math.max(...NF4_CODEBOOK.slice(1).map((level, i) => (level - NF4_CODEBOOK[i]!) / 2));

function blockAbsmax(x: Tensor, block: number): number {
  return Math.max(0, ...Array.from(x.data.subarray(block * 64, block * 64 + 64), Math.abs));
}

describe('NF4', () => {
  const rng = createRng(11);

  it('uses the exact bitsandbytes code book', () => {
    expect(NF4_CODEBOOK).toEqual([
      -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
      -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
      0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
    ]);
    // The decision thresholds of bitsandbytes' dQuantizeNF4 are the midpoints.
    expect(NF4_THRESHOLDS[7]).toBeCloseTo(0.03979014977812767, 15);
    expect(NF4_THRESHOLDS[14]).toBeCloseTo(0.8614784181118011, 15);
  });

  it('maps every level to its own code and rounds to the nearest level', () => {
    NF4_CODEBOOK.forEach((level, code) => expect(nearestNf4Code(level)).toBe(code));
    expect(nearestNf4Code(0.03)).toBe(7);
    expect(nearestNf4Code(0.05)).toBe(8);
    expect(nearestNf4Code(-0.9)).toBe(0);
  });

  it('packs the first element into the high nibble (bitsandbytes order)', () => {
    const nf = quantizeNf4(tensor([1, -1, 0]));
    // codes 15, 0, 7; the odd tail's low nibble is 0 padding.
    expect(Array.from(nf.packed.data)).toEqual([0xf0, 0x70]);
    expect(Array.from(dequantizeNf4(nf).data)).toEqual([expect.closeTo(1, 6), expect.closeTo(-1, 6), 0]);
  });

  it.each([1, 63, 64, 65, 1000, 129 * 129])('round-trips %i values within half a level gap of each block', (size) => {
    const x = randomNormal(rng, [size], 0, 0.05);
    const nf = quantizeNf4(x);
    const blocks = Math.ceil(size / 64);
    expect(nf.packed.size).toBe(Math.ceil(size / 2));
    expect(nf.absmaxQ.size).toBe(blocks);
    expect(nf.absmaxScale.size).toBe(Math.ceil(blocks / 256));
    const back = dequantizeNf4(nf);
    expect(back.shape).toEqual([size]);
    for (let b = 0; b < blocks; b++) {
      const absmax = blockAbsmax(x, b);
      // Bound: nearest-level error plus the error of the double-quantised absmax.
      const absmaxError = nf.absmaxScale.data[Math.floor(b / 256)]! / 2;
      const bound = absmax * HALF_GAP + absmaxError + 1e-6;
      for (let i = b * 64; i < Math.min(size, b * 64 + 64); i++) {
        expect(Math.abs(back.data[i]! - x.data[i]!)).toBeLessThanOrEqual(bound);
      }
    }
  });

  it('double-quantises block absmax values around their mean, one int8 scale per 256 blocks', () => {
    const x = randomNormal(rng, [300 * 64 + 10], 0, 1);
    // Make the second group's scale differ from the first.
    for (let i = 256 * 64; i < x.size; i++) x.data[i]! *= 4;
    const nf = quantizeNf4(x);
    const blocks = nf.absmaxQ.size;
    const absmax = Array.from({ length: blocks }, (_, b) => blockAbsmax(x, b));
    expect(nf.absmaxMean).toBeCloseTo(absmax.reduce((s, v) => s + v, 0) / blocks, 5);
    expect(nf.absmaxScale.size).toBe(2);
    expect(nf.absmaxScale.data[1]).toBeGreaterThan(nf.absmaxScale.data[0]!);
    for (let b = 0; b < blocks; b++) {
      const scale = nf.absmaxScale.data[Math.floor(b / 256)]!;
      const decoded = nf.absmaxQ.data[b]! * scale + nf.absmaxMean;
      expect(Math.abs(decoded - absmax[b]!)).toBeLessThanOrEqual(scale / 2 + 1e-6);
    }
  });

  it('keeps a partial last block to its own absmax and all-zero input at zero', () => {
    const x = Tensor.zeros([64 + 3]);
    x.data.fill(0.01, 0, 64);
    x.data[65] = 5;
    const back = dequantizeNf4(quantizeNf4(x));
    expect(back.data[0]).toBeCloseTo(0.01, 3);
    expect(back.data[65]).toBeCloseTo(5, 1);
    expect(Array.from(dequantizeNf4(quantizeNf4(Tensor.zeros([2, 5]))).data)).toEqual(new Array(10).fill(0));
  });

  it('keeps the shape and decodes any range of elements', () => {
    const x = randomNormal(rng, [3, 7, 11]);
    const nf = quantizeNf4(x);
    const full = dequantizeNf4(nf);
    expect(full.shape).toEqual([3, 7, 11]);
    const part = new Float32Array(77);
    decodeNf4Range(nf, 61, part);
    expect(Array.from(part)).toEqual(Array.from(full.data.subarray(61, 138)));
  });

  it('names the inconsistent part of a broken Nf4Tensor', () => {
    const nf = quantizeNf4(randomNormal(rng, [100]));
    expectFerryError(() => dequantizeNf4({ ...nf, packed: Tensor.zeros([49], 'u8') }), 'TENSOR_SHAPE', 'nf.packed', '49', '50');
    expectFerryError(() => dequantizeNf4({ ...nf, absmaxQ: Tensor.zeros([2], 'u8') as unknown as Tensor<'i8'> }), 'KERNEL_BAD_INPUT', 'nf.absmaxQ', 'i8');
    expectFerryError(() => quantizeNf4(Tensor.zeros([4], 'i32')), 'KERNEL_BAD_INPUT', 'x', 'f32');
  });
});
