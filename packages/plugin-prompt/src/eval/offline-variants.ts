import { CentroidClassifier, HashingEmbedder, KeywordClassifier } from '@ferry/core';
import { createExampleSelector } from '../few-shot/example-selector.js';
import { classifierVariant } from './classifier-variant.js';
import type { EvalExample, PromptVariant } from './evaluate-prompts.js';
import { nearestNeighbourVariant } from './nearest-neighbour-variant.js';

export interface OfflineVariantsInput {
  train: readonly EvalExample[];
  /** Label -> keywords for the keyword variant; without it there is no keyword variant. */
  lexicon?: Readonly<Record<string, string[]>>;
  /** Label for texts the lexicon says nothing about. */
  fallback?: string;
}

/**
 * The variants that need no model service: a centroid classifier trained on
 * `train`, keyword rules (zero-shot-like: no training data), and a
 * nearest-neighbour vote over MMR-selected training examples (few-shot-like).
 */
export async function offlineVariants(input: OfflineVariantsInput): Promise<PromptVariant[]> {
  const centroid = new CentroidClassifier();
  await centroid.fit([...input.train]);
  const selector = createExampleSelector([...input.train], new HashingEmbedder(384));
  const keyword = input.lexicon
    ? [classifierVariant('keyword (zero-shot)', new KeywordClassifier({ rules: { ...input.lexicon }, ...(input.fallback ? { fallback: input.fallback } : {}) }))]
    : [];
  return [
    classifierVariant('centroid (trained)', centroid),
    ...keyword,
    // High lambda: for voting, relevance matters more than variety. 384 hash dims keep
    // a query over ~10k examples near 50 ms; 2048 was 3x slower for +0.01 accuracy.
    nearestNeighbourVariant('mmr-knn (few-shot)', { selector, k: 7, lambda: 0.8 }),
  ];
}
