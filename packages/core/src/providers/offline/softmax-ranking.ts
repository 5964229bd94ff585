import type { ClassificationResult, LabelScore } from '../../models/model-types.js';

/**
 * Turns raw per-label similarities into a ranking whose scores sum to 1:
 * softmax of similarity / temperature. A low temperature sharpens the gap
 * between close labels, a high one flattens it.
 */
export function softmaxRanking(labels: readonly string[], similarities: readonly number[], temperature: number): ClassificationResult {
  const top = Math.max(...similarities);
  const exps = similarities.map((s) => Math.exp((s - top) / temperature));
  const total = exps.reduce((sum, e) => sum + e, 0);
  const ranking: LabelScore[] = labels
    .map((label, i) => ({ label, score: (exps[i] as number) / total }))
    .sort((a, b) => b.score - a.score);
  const best = ranking[0] as LabelScore;
  return { label: best.label, score: best.score, ranking };
}
