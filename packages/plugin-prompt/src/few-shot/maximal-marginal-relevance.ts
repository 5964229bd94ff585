import { dot } from './unit-vector.js';

export interface MmrInput {
  /** Unit vectors. */
  query: Float32Array;
  candidates: readonly Float32Array[];
  /** Label per candidate, for `perLabel`; undefined for unlabelled ones. */
  labels: ReadonlyArray<string | undefined>;
  k: number;
  lambda: number;
  /** How many of the most relevant candidates MMR chooses among. */
  poolSize: number;
  perLabel: boolean;
}

export interface MmrPick {
  index: number;
  /** Cosine similarity to the query. */
  relevance: number;
  /** lambda * relevance - (1 - lambda) * the highest similarity to an earlier pick. */
  score: number;
}

/**
 * Greedy Maximal Marginal Relevance. Picks come from the `poolSize` most
 * relevant candidates: over a whole dataset, the redundancy penalty would
 * otherwise prefer unrelated examples (similarity 0 to everything) to
 * relevant ones that resemble an earlier pick. With `perLabel`, each label
 * gets one pick before any label gets a second, drawing from all candidates
 * so that a label missing from the pool is still represented. Ties go to
 * the lower index, so results are deterministic.
 */
export function maximalMarginalRelevance(input: MmrInput): MmrPick[] {
  const { query, candidates, labels, lambda } = input;
  const relevance = candidates.map((vector) => dot(query, vector));
  const byRelevance = relevance.map((_, i) => i).sort((a, b) => (relevance[b] as number) - (relevance[a] as number) || a - b);
  const pool = new Set(byRelevance.slice(0, input.poolSize));
  const uncovered = new Set<string>();
  if (input.perLabel) for (const label of labels) if (label !== undefined) uncovered.add(label);

  const universe = input.perLabel ? byRelevance : [...pool];
  const maxSimilarity = new Float64Array(candidates.length).fill(-Infinity);
  const chosen = new Set<number>();
  const picks: MmrPick[] = [];
  while (picks.length < input.k) {
    const covering = uncovered.size > 0;
    let best = -1;
    let bestScore = -Infinity;
    for (const i of universe) {
      if (chosen.has(i)) continue;
      if (covering ? !uncovered.has(labels[i] as string) : !pool.has(i)) continue;
      const redundancy = picks.length === 0 ? 0 : (maxSimilarity[i] as number);
      const score = lambda * (relevance[i] as number) - (1 - lambda) * redundancy;
      if (score > bestScore || (score === bestScore && i < best)) {
        best = i;
        bestScore = score;
      }
    }
    if (best === -1) break;
    chosen.add(best);
    picks.push({ index: best, relevance: relevance[best] as number, score: bestScore });
    const label = labels[best];
    if (label !== undefined) uncovered.delete(label);
    const picked = candidates[best] as Float32Array;
    for (const i of universe) {
      if (chosen.has(i)) continue;
      const similarity = dot(picked, candidates[i] as Float32Array);
      if (similarity > (maxSimilarity[i] as number)) maxSimilarity[i] = similarity;
    }
  }
  return picks;
}
