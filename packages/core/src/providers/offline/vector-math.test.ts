import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from './hashing-embedder.js';
import { dimensionMajor, dot, sparseDot, sparseDots } from './vector-math.js';

describe('sparseDot', () => {
  it('equals the dense dot product exactly for hashed text vectors', () => {
    const embedder = new HashingEmbedder(1024);
    const a = embedder.embedText('How do I top up my card with a bank transfer?');
    const b = embedder.embedText('Top up by bank transfer takes up to one working day; card top ups are instant.');
    const sparse = embedder.embedSparse('Top up by bank transfer takes up to one working day; card top ups are instant.');
    expect(sparse.indices.length).toBeGreaterThan(0);
    expect(sparse.indices.length).toBeLessThan(b.length / 4);
    expect(sparseDot(a, sparse)).toBe(dot(a, b));
  });
});

describe('sparseDots', () => {
  it('equals the dense dot products exactly for a hashed text vector against a table', () => {
    const embedder = new HashingEmbedder(2048);
    const a = embedder.embedText('How do I top up my card with a bank transfer?');
    const table = [
      'Top up by bank transfer takes up to one working day; card top ups are instant.',
      'Your card may be blocked after three wrong PIN entries.',
      'Fees for international transfers are shown before you confirm.',
    ].map((text) => embedder.embedText(text));
    expect(a.filter((x) => x !== 0).length).toBeLessThan(a.length / 4);
    expect([...sparseDots(a, dimensionMajor(table, 2048), table.length)]).toEqual(table.map((b) => dot(a, b)));
  });
});
