import { describe, expect, it } from 'vitest';
import { randomUniform } from '../../tensor/random-tensor.js';
import { createRng } from '../../tensor/seeded-rng.js';
import { Tensor } from '../../tensor/tensor.js';
import { expectClose, expectFerryError, expectGradientClose, numericGradient, weightedSum } from './kernel-test-utils.test-helper.js';
import { rope, ropeBackward } from './rope.js';

/**
 * The HF transformers formulation: x * cos + rotate_half(x) * sin with
 * cos/sin of length D (the D/2 frequencies repeated) and
 * rotate_half(x) = cat(-x[D/2:], x[:D/2]).
 */
function hfRope(x: Tensor, theta: number, offset: number): Float64Array {
  const [b, t, h, d] = x.shape as [number, number, number, number];
  const half = d / 2;
  const out = new Float64Array(x.size);
  for (let bi = 0; bi < b; bi++) {
    for (let ti = 0; ti < t; ti++) {
      const invFreq = Array.from({ length: half }, (_, i) => 1 / theta ** ((2 * i) / d));
      const freqs = [...invFreq, ...invFreq].map((f) => (ti + offset) * f);
      for (let hi = 0; hi < h; hi++) {
        const base = ((bi * t + ti) * h + hi) * d;
        const vec = Array.from(x.data.subarray(base, base + d));
        const rotated = [...vec.slice(half).map((v) => -v), ...vec.slice(0, half)];
        for (let i = 0; i < d; i++) out[base + i] = vec[i]! * Math.cos(freqs[i]!) + rotated[i]! * Math.sin(freqs[i]!);
      }
    }
  }
  return out;
}

describe('rope', () => {
  const rng = createRng(5);

  it('matches the HF rotate_half formulation, with a position offset and custom theta', () => {
    const x = randomUniform(rng, [2, 5, 3, 8]);
    expectClose(rope(x).data, hfRope(x, 10000, 0), 1e-6, 1e-6);
    expectClose(rope(x, { theta: 500000, positionOffset: 11 }).data, hfRope(x, 500000, 11), 1e-6, 1e-6);
  });

  it('leaves position 0 unchanged and preserves vector norms', () => {
    const x = randomUniform(rng, [1, 4, 2, 6]);
    const y = rope(x, { positionOffset: 0 });
    expectClose(y.slice(0, 1).data.subarray(0, 12), x.data.subarray(0, 12), 1e-7);
    const norm = (t: Tensor) => Math.hypot(...t.data);
    expect(norm(y)).toBeCloseTo(norm(x), 5);
  });

  it('backward matches central differences and inverts the forward rotation', () => {
    const x = randomUniform(rng, [1, 3, 2, 4]);
    const dy = randomUniform(rng, x.shape);
    const options = { positionOffset: 4 };
    expectGradientClose(ropeBackward(dy, options), numericGradient(() => weightedSum(rope(x, options), dy), x));
    expectClose(ropeBackward(rope(x, options), options).data, x.data, 1e-6);
  });

  it('names x when the head dimension is odd or the rank is wrong', () => {
    expectFerryError(() => rope(Tensor.zeros([1, 2, 1, 5])), 'TENSOR_SHAPE', 'x', 'D = 5', 'even');
    expectFerryError(() => rope(Tensor.zeros([2, 8])), 'TENSOR_SHAPE', 'x', '4-D');
    expectFerryError(() => ropeBackward(Tensor.zeros([1, 1, 1, 2]), { positionOffset: 1.5 }), 'KERNEL_BAD_INPUT', 'options.positionOffset');
  });
});
