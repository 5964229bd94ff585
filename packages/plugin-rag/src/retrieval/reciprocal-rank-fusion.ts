import type { RetrievedChunk } from './retriever.js';

export const DEFAULT_RRF_K = 60;

export interface FusionOptions {
  /** The RRF constant: larger flattens the advantage of the top ranks. 60 by default (Cormack et al. 2009). */
  k?: number;
  /** One weight per list, 1 each by default. */
  weights?: readonly number[];
}

/**
 * Reciprocal-rank fusion: each chunk scores Σ weight / (k + rank) over the
 * lists it appears in. Only ranks count, so lists with incomparable scores
 * (cosine, BM25) fuse without calibration. Each chunk keeps the ranks and
 * scores of every list; ties keep the order of first appearance.
 */
export function reciprocalRankFusion(lists: readonly (readonly RetrievedChunk[])[], options: FusionOptions = {}): RetrievedChunk[] {
  const k = options.k ?? DEFAULT_RRF_K;
  const fused = new Map<string, RetrievedChunk>();
  lists.forEach((list, listIndex) => {
    const weight = options.weights?.[listIndex] ?? 1;
    list.forEach((chunk, position) => {
      const contribution = weight / (k + position + 1);
      const seen = fused.get(chunk.id);
      if (seen) {
        seen.score += contribution;
        Object.assign(seen.ranks, chunk.ranks);
        Object.assign(seen.scores, chunk.scores);
        seen.evidence = Math.max(seen.evidence, chunk.evidence);
      } else {
        fused.set(chunk.id, { ...chunk, ranks: { ...chunk.ranks }, scores: { ...chunk.scores }, score: contribution, method: 'hybrid' });
      }
    });
  });
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
