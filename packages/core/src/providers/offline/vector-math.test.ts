import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from './hashing-embedder.js';
import { dot, nonZeroIndices, sparseDot } from './vector-math.js';

describe('sparseDot', () => {
  it('equals the dense dot product exactly for hashed text vectors', () => {
    const embedder = new HashingEmbedder(2048);
    const a = embedder.embedText('How do I top up my card with a bank transfer?');
    const b = embedder.embedText('Top up by bank transfer takes up to one working day; card top ups are instant.');
    const nonZero = nonZeroIndices(a);
    expect(nonZero.length).toBeGreaterThan(0);
    expect(nonZero.length).toBeLessThan(a.length / 4);
    expect(sparseDot(a, nonZero, b)).toBe(dot(a, b));
  });
});
