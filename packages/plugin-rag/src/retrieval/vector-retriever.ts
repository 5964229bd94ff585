import type { Embedder } from '@ferry/core';
import type { VectorCollection } from '../stores/vector-store.js';
import { checkRetrieveOptions } from './retrieve-options.js';
import type { RetrievedChunk, RetrieveOptions, Retriever } from './retriever.js';

/** Dense retrieval: embeds the query and asks the collection for its nearest chunks (cosine). */
export class VectorRetriever implements Retriever {
  readonly name = 'vector';

  constructor(
    readonly collection: VectorCollection,
    readonly embedder: Embedder,
  ) {}

  async retrieve(query: string, options: RetrieveOptions = {}): Promise<RetrievedChunk[]> {
    const { k, filter, signal } = checkRetrieveOptions(query, options);
    const [vector] = await this.embedder.embed([query], signal === undefined ? {} : { signal });
    if (!vector) return [];
    const hits = await this.collection.query({ vector, k, ...(filter === undefined ? {} : { filter }) });
    return hits.map((hit, i) => ({
      id: hit.id,
      text: hit.text,
      metadata: hit.metadata,
      score: hit.score,
      method: 'vector',
      ranks: { vector: i + 1 },
      scores: { vector: hit.score },
      evidence: Math.max(0, hit.score),
    }));
  }
}
