import type { Embedder } from '@ferry/core';
import type { VectorCollection } from '../stores/vector-store.js';
import { Bm25Retriever } from './bm25-retriever.js';
import { HybridRetriever } from './hybrid-retriever.js';
import type { KeywordIndex } from './keyword-index.js';
import { MmrRetriever } from './mmr-retriever.js';
import { RerankRetriever, type Reranker } from './reranker.js';
import type { Retriever } from './retriever.js';
import { VectorRetriever } from './vector-retriever.js';

export type RetrievalMode = 'hybrid' | 'vector' | 'bm25';

export interface RetrieverSettings {
  mode?: RetrievalMode;
  rrfK?: number;
  weights?: { vector?: number; bm25?: number };
  candidates?: number;
  /** MMR diversity over the mode's candidates; off by default. */
  mmr?: { lambda?: number; fetchK?: number };
  /** Cross-encoder rerank of the top `candidates` (after MMR when both are on). */
  rerank?: { reranker: Reranker; candidates?: number };
}

/** The retriever a knowledge base's settings describe: hybrid (default), vector or BM25, then MMR, then rerank. */
export function createRetriever(parts: { collection: VectorCollection; embedder: Embedder; keywords: KeywordIndex }, settings: RetrieverSettings = {}): Retriever {
  const vector = new VectorRetriever(parts.collection, parts.embedder);
  const bm25 = new Bm25Retriever(parts.keywords);
  const mode = settings.mode ?? 'hybrid';
  let retriever: Retriever =
    mode === 'vector'
      ? vector
      : mode === 'bm25'
        ? bm25
        : new HybridRetriever({
            vector,
            keyword: bm25,
            ...(settings.rrfK === undefined ? {} : { rrfK: settings.rrfK }),
            ...(settings.weights === undefined ? {} : { weights: settings.weights }),
            ...(settings.candidates === undefined ? {} : { candidates: settings.candidates }),
          });
  if (settings.mmr) retriever = new MmrRetriever(retriever, parts.embedder, { ...settings.mmr, collection: parts.collection });
  if (settings.rerank) retriever = new RerankRetriever(retriever, settings.rerank.reranker, settings.rerank.candidates);
  return retriever;
}
