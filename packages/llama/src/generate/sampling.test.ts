import { createRng } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { sampleToken } from './sampling.js';

const logits = (): Float32Array => Float32Array.from([1, 3, 2, 0.5, 2.9]);

describe('sampleToken', () => {
  it('is greedy at temperature 0', () => {
    expect(sampleToken(logits(), [], {}, createRng(1))).toBe(1);
  });

  it('repetition penalty divides positive and multiplies negative logits of seen tokens', () => {
    const values = Float32Array.from([-1, 3, 2.9]);
    expect(sampleToken(values, [1], { repetitionPenalty: 2 }, createRng(1))).toBe(2);
    expect([...values]).toEqual([-1, 1.5, Math.fround(2.9)]);
    sampleToken(values, [0], { repetitionPenalty: 2 }, createRng(1));
    expect(values[0]).toBe(-2);
  });

  it('top-k 1 and a tiny top-p both reduce sampling to the best token', () => {
    for (let seed = 0; seed < 20; seed++) {
      expect(sampleToken(logits(), [], { temperature: 5, topK: 1 }, createRng(seed))).toBe(1);
      expect(sampleToken(logits(), [], { temperature: 5, topP: 0.01 }, createRng(seed))).toBe(1);
    }
  });

  it('top-k 2 draws only from the two best, in proportion to their probabilities', () => {
    const rng = createRng(7);
    const counts = new Map<number, number>();
    for (let i = 0; i < 4000; i++) {
      const id = sampleToken(logits(), [], { temperature: 1, topK: 2 }, rng);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 4]);
    const expected = 1 / (1 + Math.exp(2.9 - 3));
    expect(counts.get(1)! / 4000).toBeCloseTo(expected, 1);
  });

  it('the same seed draws the same tokens', () => {
    const draw = (seed: number): number[] => {
      const rng = createRng(seed);
      return Array.from({ length: 30 }, () => sampleToken(logits(), [], { temperature: 2 }, rng));
    };
    expect(draw(3)).toEqual(draw(3));
    expect(new Set(draw(3)).size).toBeGreaterThan(1);
  });
});
