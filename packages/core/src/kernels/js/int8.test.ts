import { describe, expect, it } from 'vitest';
import { randomNormal } from '../../tensor/random-tensor.js';
import { createRng } from '../../tensor/seeded-rng.js';
import { Tensor, tensor } from '../../tensor/tensor.js';
import { dequantizeInt8, quantizeInt8 } from './int8.js';
import { expectFerryError } from './kernel-test-utils.test-helper.js';

describe('int8 quantisation', () => {
  const rng = createRng(10);

  it('round-trips every value within half a step of its row', () => {
    const x = randomNormal(rng, [9, 33], 0, 3);
    const { q, scale } = quantizeInt8(x);
    const back = dequantizeInt8(q, scale);
    for (let row = 0; row < 9; row++) {
      const values = Array.from(x.data.subarray(row * 33, row * 33 + 33));
      const absmax = Math.max(...values.map(Math.abs));
      expect(scale.data[row]).toBeCloseTo(absmax / 127, 7);
      // The largest value lands exactly on +-127.
      expect(Math.max(...Array.from(q.data.subarray(row * 33, row * 33 + 33), Math.abs))).toBe(127);
      for (let i = 0; i < 33; i++) {
        expect(Math.abs(back.data[row * 33 + i]! - values[i]!)).toBeLessThanOrEqual(scale.data[row]! / 2 + 1e-7);
      }
    }
  });

  it('rounds half away from zero and keeps a zero row at scale 0', () => {
    const { q, scale } = quantizeInt8(tensor([[127, 0.5, -0.5, -127], [0, 0, 0, 0]]));
    expect(Array.from(q.data)).toEqual([127, 1, -1, -127, 0, 0, 0, 0]);
    expect(Array.from(scale.data)).toEqual([1, 0]);
  });

  it('names the argument with the wrong shape or dtype', () => {
    expectFerryError(() => quantizeInt8(Tensor.zeros([4])), 'TENSOR_SHAPE', 'x', '2-D');
    expectFerryError(() => dequantizeInt8(Tensor.zeros([2, 3], 'i8'), Tensor.zeros([3])), 'TENSOR_SHAPE', 'scale', '[3]', '[2]');
    expectFerryError(() => dequantizeInt8(Tensor.zeros([2, 3], 'u8'), Tensor.zeros([2])), 'KERNEL_BAD_INPUT', 'q', 'i8');
  });
});
