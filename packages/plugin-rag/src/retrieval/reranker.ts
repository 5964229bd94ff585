import { FerryError, type Classifier } from '@ferry/core';
import { checkRetrieveOptions } from './retrieve-options.js';
import type { RetrievedChunk, RetrieveOptions, Retriever } from './retriever.js';

/** Scores (query, passage) pairs jointly, e.g. a cross-encoder; higher is more relevant. */
export interface Reranker {
  readonly name: string;
  rerank(query: string, passages: readonly string[], options?: { signal?: AbortSignal }): Promise<number[]>;
}

export interface ClassifierRerankerOptions {
  /** The label whose probability is the relevance; needed when the classifier has more than one label. */
  label?: string;
  /** Joins query and passage into the one text the classifier reads; `${query}\n\n${passage}` by default. */
  pair?: (query: string, passage: string) => string;
}

/**
 * A Reranker over a Classifier that reads a query and a passage as one text
 * (a cross-encoder served as text classification): the relevance is the
 * probability of `label`.
 */
export function classifierReranker(classifier: Classifier, options: ClassifierRerankerOptions = {}): Reranker {
  const labels = classifier.labels;
  const label = options.label ?? (labels.length === 1 ? labels[0] : undefined);
  if (label === undefined || !labels.includes(label)) {
    throw new FerryError('INPUT_INVALID', `the reranker needs the classifier label that means "relevant"; it has ${labels.join(', ')}`, {
      field: 'label',
      hint: `Pass { label: "${labels.at(-1) ?? 'relevant'}" } (the label a cross-encoder gives relevant pairs).`,
      details: { labels: [...labels] },
    });
  }
  const pair = options.pair ?? ((query: string, passage: string) => `${query}\n\n${passage}`);
  return {
    name: `classifier:${classifier.metadata.ref}`,
    async rerank(query, passages, rerankOptions = {}) {
      if (passages.length === 0) return [];
      const results = await classifier.classify(
        passages.map((p) => pair(query, p)),
        rerankOptions.signal === undefined ? {} : { signal: rerankOptions.signal },
      );
      return results.map((r) => r.ranking.find((s) => s.label === label)?.score ?? 0);
    },
  };
}

/** Re-orders another retriever's top `candidates` by a Reranker's scores. */
export class RerankRetriever implements Retriever {
  readonly name: string;

  constructor(
    private readonly inner: Retriever,
    private readonly reranker: Reranker,
    private readonly candidates = 20,
  ) {
    this.name = `${inner.name}+rerank`;
    if (!Number.isInteger(candidates) || candidates < 1) {
      throw new FerryError('INPUT_INVALID', `rerank candidates must be a positive integer, got ${String(candidates)}`, {
        field: 'candidates',
        hint: 'Rerank a few times k candidates, e.g. 20: a cross-encoder costs one model call per candidate.',
      });
    }
  }

  async retrieve(query: string, options: RetrieveOptions = {}): Promise<RetrievedChunk[]> {
    const { k, signal } = checkRetrieveOptions(query, options);
    const pool = await this.inner.retrieve(query, { ...options, k: Math.max(k, this.candidates) });
    const scores = await this.reranker.rerank(
      query,
      pool.map((c) => c.text),
      signal === undefined ? {} : { signal },
    );
    if (scores.length !== pool.length) {
      throw new FerryError('PROVIDER_BAD_RESPONSE', `reranker "${this.reranker.name}" returned ${scores.length} scores for ${pool.length} passages`, {
        field: 'reranker',
        hint: 'A Reranker must return exactly one score per passage, in order.',
      });
    }
    return pool
      .map((chunk, i) => ({ chunk, score: scores[i] as number, i }))
      .sort((a, b) => b.score - a.score || a.i - b.i)
      .slice(0, k)
      .map(({ chunk, score }, rank) => ({
        ...chunk,
        score,
        method: 'rerank' as const,
        ranks: { ...chunk.ranks, rerank: rank + 1 },
        scores: { ...chunk.scores, rerank: score },
      }));
  }
}
