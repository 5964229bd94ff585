import { describe, expect, it } from 'vitest';
import { randomInt, randomNormal, randomUniform } from './random-tensor.js';
import { createRng, hashSeed, mulberry32 } from './seeded-rng.js';

describe('seeded RNG', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const c = mulberry32(124);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
    expect(seqA.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('draws uniform, integer and normal values with the requested statistics', () => {
    const rng = createRng(5);
    const n = 20000;
    const uniform = Array.from({ length: n }, () => rng.uniform(-2, 4));
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...uniform)).toBeLessThan(4);
    expect(uniform.reduce((s, v) => s + v, 0) / n).toBeCloseTo(1, 1);
    const ints = new Set(Array.from({ length: 1000 }, () => rng.int(3, 6)));
    expect([...ints].sort()).toEqual([3, 4, 5]);
    const normal = Array.from({ length: n }, () => rng.normal());
    const mean = normal.reduce((s, v) => s + v, 0) / n;
    const variance = normal.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    expect(mean).toBeCloseTo(0, 1);
    expect(variance).toBeCloseTo(1, 1);
  });

  it('builds reproducible random tensors', () => {
    expect(randomUniform(createRng(1), [2, 3]).data).toEqual(randomUniform(createRng(1), [2, 3]).data);
    const normal = randomNormal(createRng(2), [1000], 5, 0.1);
    expect(Math.min(...normal.data)).toBeGreaterThan(4);
    const ints = randomInt(createRng(3), [50], -1, 2);
    expect(ints.dtype).toBe('i32');
    expect(new Set(ints.data)).toEqual(new Set([-1, 0, 1]));
  });

  it('hashes names to distinct, stable seeds', () => {
    expect(hashSeed('matmul/M=1')).toBe(hashSeed('matmul/M=1'));
    expect(hashSeed('matmul/M=1')).not.toBe(hashSeed('matmul/M=3'));
    expect(hashSeed('x', 1)).not.toBe(hashSeed('x', 2));
  });
});
