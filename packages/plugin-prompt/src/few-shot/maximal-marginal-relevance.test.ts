import { describe, expect, it } from 'vitest';
import { maximalMarginalRelevance, type MmrInput } from './maximal-marginal-relevance.js';
import { unitVector } from './unit-vector.js';

const v = (...xs: number[]): Float32Array => unitVector(new Float32Array(xs));

// Two near-duplicates close to the query, one distinct but still relevant, one unrelated.
const candidates = [v(1, 0.05, 0), v(1, 0.06, 0), v(0.7, 0, 0.7), v(0, 1, 0)];
const base: MmrInput = {
  query: v(1, 0, 0.2),
  candidates,
  labels: ['a', 'a', 'b', 'c'],
  k: 2,
  lambda: 0.5,
  poolSize: 10,
  perLabel: false,
};

describe('maximalMarginalRelevance', () => {
  it('ranks by relevance alone at lambda 1', () => {
    expect(maximalMarginalRelevance({ ...base, lambda: 1 }).map((p) => p.index)).toEqual([0, 1]);
  });

  it('skips a near-duplicate of an earlier pick at lambda < 1', () => {
    const picks = maximalMarginalRelevance(base);
    expect(picks.map((p) => p.index)).toEqual([0, 2]);
    expect(picks[0]?.score).toBeCloseTo(0.5 * (picks[0]?.relevance ?? 0));
  });

  it('chooses only among the poolSize most relevant', () => {
    const picks = maximalMarginalRelevance({ ...base, k: 3, lambda: 0, poolSize: 2 });
    expect(picks.map((p) => p.index).sort()).toEqual([0, 1]);
  });

  it('covers every label first with perLabel, even one outside the pool', () => {
    const picks = maximalMarginalRelevance({ ...base, k: 3, lambda: 1, poolSize: 2, perLabel: true });
    expect(picks.map((p) => p.index)).toEqual([0, 2, 3]);
  });

  it('stops at the number of candidates and breaks ties by index', () => {
    const twins = { ...base, candidates: [v(1, 0), v(1, 0)], query: v(1, 0), labels: [undefined, undefined], k: 5 };
    expect(maximalMarginalRelevance(twins).map((p) => p.index)).toEqual([0, 1]);
  });
});
