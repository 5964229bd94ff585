import type { MetadataValue } from '../documents/chunk.js';
import type { MetadataFilter } from '../stores/vector-store.js';

/** Which method found a chunk: the sub-retrievers of a hybrid, and the reranker. */
export type RetrievalMethod = 'vector' | 'bm25' | 'rerank';

/** A chunk a retriever returned, best first, with how each method ranked and scored it. */
export interface RetrievedChunk {
  id: string;
  text: string;
  metadata: Record<string, MetadataValue>;
  /** The score the list is ordered by (cosine, BM25, fused RRF or reranker score: see `method`). */
  score: number;
  /** The method whose score `score` is: a fused list says 'hybrid', an MMR pass keeps the inner one. */
  method: RetrievalMethod | 'hybrid';
  /** 1-based rank of the chunk in each method's own list (absent where a method did not return it). */
  ranks: Partial<Record<RetrievalMethod, number>>;
  /** Each method's own score: cosine for vector, raw BM25 for bm25, the reranker's for rerank. */
  scores: Partial<Record<RetrievalMethod, number>>;
  /**
   * How well the chunk answers the query on an absolute 0..1 scale, comparable across queries:
   * the idf-weighted share of the query's terms it holds when a keyword index scored it, else its cosine.
   * The answering pipeline says "I don't know" when the best chunk's evidence is under its threshold.
   */
  evidence: number;
}

export interface RetrieveOptions {
  /** How many chunks to return; 5 by default. */
  k?: number;
  /** Metadata filter applied by every method before ranking. */
  filter?: MetadataFilter;
  signal?: AbortSignal;
}

export interface Retriever {
  /** Short name for logs and eval tables: 'vector', 'bm25', 'hybrid', ... */
  readonly name: string;
  retrieve(query: string, options?: RetrieveOptions): Promise<RetrievedChunk[]>;
}

export const DEFAULT_K = 5;
