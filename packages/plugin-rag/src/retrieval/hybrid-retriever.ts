import { FerryError } from '@ferry/core';
import type { Bm25Retriever } from './bm25-retriever.js';
import { DEFAULT_RRF_K, reciprocalRankFusion } from './reciprocal-rank-fusion.js';
import { checkRetrieveOptions } from './retrieve-options.js';
import type { RetrievedChunk, RetrieveOptions, Retriever } from './retriever.js';
import type { VectorRetriever } from './vector-retriever.js';

export interface HybridRetrieverOptions {
  vector: VectorRetriever;
  keyword: Bm25Retriever;
  /** RRF constant; 60 by default. */
  rrfK?: number;
  /** Weight of each list in the fusion; 1 and 1 by default. */
  weights?: { vector?: number; bm25?: number };
  /** How many candidates each method contributes before fusion; at least k. 50 by default. */
  candidates?: number;
}

export const DEFAULT_HYBRID_CANDIDATES = 50;

/**
 * Dense and BM25 retrieval fused by reciprocal rank. The filter goes to both
 * methods. Evidence is lexical coverage for every chunk (computed for those
 * only the vector side found), so the "I don't know" threshold means the
 * same whatever method found the chunk.
 */
export class HybridRetriever implements Retriever {
  readonly name = 'hybrid';
  private readonly options: Required<Omit<HybridRetrieverOptions, 'weights'>> & { weights: { vector: number; bm25: number } };

  constructor(options: HybridRetrieverOptions) {
    const weights = { vector: options.weights?.vector ?? 1, bm25: options.weights?.bm25 ?? 1 };
    const candidates = options.candidates ?? DEFAULT_HYBRID_CANDIDATES;
    if (!(weights.vector >= 0 && weights.bm25 >= 0 && weights.vector + weights.bm25 > 0)) {
      throw new FerryError('INPUT_INVALID', `hybrid weights must be non-negative and not both 0, got ${JSON.stringify(weights)}`, {
        field: 'weights',
        hint: 'Use e.g. { vector: 1, bm25: 1 } (equal) or { vector: 1, bm25: 2 } to favour keywords.',
      });
    }
    if (!Number.isInteger(candidates) || candidates < 1) {
      throw new FerryError('INPUT_INVALID', `candidates must be a positive integer, got ${String(candidates)}`, {
        field: 'candidates',
        hint: 'Fuse the top 50 of each method (the default), or more for recall.',
      });
    }
    this.options = { vector: options.vector, keyword: options.keyword, rrfK: options.rrfK ?? DEFAULT_RRF_K, weights, candidates };
  }

  async retrieve(query: string, options: RetrieveOptions = {}): Promise<RetrievedChunk[]> {
    const { k } = checkRetrieveOptions(query, options);
    const depth = { ...options, k: Math.max(k, this.options.candidates) };
    const [dense, lexical] = await Promise.all([
      this.options.vector.retrieve(query, depth),
      this.options.keyword.retrieve(query, depth),
    ]);
    const fused = reciprocalRankFusion([dense, lexical], {
      k: this.options.rrfK,
      weights: [this.options.weights.vector, this.options.weights.bm25],
    }).slice(0, k);
    const coverage = this.options.keyword.index.coverage(
      query,
      fused.map((c) => c.id),
    );
    return fused.map((chunk, i) => ({ ...chunk, evidence: coverage[i] ?? 0 }));
  }
}
