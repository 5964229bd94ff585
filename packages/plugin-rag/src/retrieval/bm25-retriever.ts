import type { KeywordIndex } from './keyword-index.js';
import { checkRetrieveOptions } from './retrieve-options.js';
import type { RetrievedChunk, RetrieveOptions, Retriever } from './retriever.js';

/** Lexical retrieval: BM25 over a KeywordIndex (Intl.Segmenter words, so Chinese and Japanese work). */
export class Bm25Retriever implements Retriever {
  readonly name = 'bm25';

  constructor(readonly index: KeywordIndex) {}

  async retrieve(query: string, options: RetrieveOptions = {}): Promise<RetrievedChunk[]> {
    const { k, filter, signal } = checkRetrieveOptions(query, options);
    signal?.throwIfAborted();
    return this.index.search(query, { k, ...(filter === undefined ? {} : { filter }) }).map((hit, i) => ({
      id: hit.id,
      text: hit.text,
      metadata: hit.metadata,
      score: hit.score,
      method: 'bm25',
      ranks: { bm25: i + 1 },
      scores: { bm25: hit.score },
      evidence: hit.coverage,
    }));
  }
}
