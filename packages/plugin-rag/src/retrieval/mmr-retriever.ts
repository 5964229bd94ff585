import { FerryError, type Embedder } from '@ferry/core';
import type { VectorCollection } from '../stores/vector-store.js';
import { checkRetrieveOptions } from './retrieve-options.js';
import type { RetrievedChunk, RetrieveOptions, Retriever } from './retriever.js';

export interface MmrOptions {
  /** 1 = relevance only, 0 = diversity only; 0.5 by default. */
  lambda?: number;
  /** Candidates fetched from the inner retriever before selection; 20 by default (at least k). */
  fetchK?: number;
  /** Where chunk vectors come from; chunks it lacks (or with no collection) are embedded. */
  collection?: VectorCollection;
}

/** Cosine similarity; vectors from a store or embedder are unit length, but not all embedders promise it. */
function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * Maximal marginal relevance over another retriever's candidates: picks, one
 * at a time, the chunk maximising λ·sim(query, chunk) − (1−λ)·max sim(chunk,
 * picked), so near-duplicate chunks (overlapping splits, copied pages) do not
 * fill the context. Output order is the pick order; scores and ranks stay the inner retriever's.
 */
export class MmrRetriever implements Retriever {
  readonly name: string;
  private readonly lambda: number;
  private readonly fetchK: number;

  constructor(
    private readonly inner: Retriever,
    private readonly embedder: Embedder,
    private readonly options: MmrOptions = {},
  ) {
    this.name = `${inner.name}+mmr`;
    this.lambda = options.lambda ?? 0.5;
    this.fetchK = options.fetchK ?? 20;
    if (!(this.lambda >= 0 && this.lambda <= 1)) {
      throw new FerryError('INPUT_INVALID', `MMR lambda must be in 0..1, got ${this.lambda}`, {
        field: 'lambda',
        hint: 'Use 0.5 for a balance, closer to 1 for relevance, closer to 0 for diversity.',
      });
    }
    if (!Number.isInteger(this.fetchK) || this.fetchK < 1) {
      throw new FerryError('INPUT_INVALID', `MMR fetchK must be a positive integer, got ${this.fetchK}`, {
        field: 'fetchK',
        hint: 'Fetch a few times k candidates, e.g. 20.',
      });
    }
  }

  async retrieve(query: string, options: RetrieveOptions = {}): Promise<RetrievedChunk[]> {
    const { k, signal } = checkRetrieveOptions(query, options);
    const candidates = await this.inner.retrieve(query, { ...options, k: Math.max(k, this.fetchK) });
    if (candidates.length <= 1) return candidates.slice(0, k);
    const vectors = await this.vectorsOf(candidates, signal);
    const [queryVector] = await this.embedder.embed([query], signal === undefined ? {} : { signal });
    if (!queryVector) return candidates.slice(0, k);
    const relevance = vectors.map((v) => cosine(queryVector, v));
    const picked: number[] = [];
    const maxSimilarity = new Float64Array(candidates.length).fill(-Infinity);
    const left = new Set(candidates.keys());
    while (picked.length < k && left.size > 0) {
      let best = -1;
      let bestValue = -Infinity;
      for (const i of left) {
        const redundancy = picked.length === 0 ? 0 : (maxSimilarity[i] as number);
        const value = this.lambda * (relevance[i] as number) - (1 - this.lambda) * redundancy;
        if (value > bestValue) {
          bestValue = value;
          best = i;
        }
      }
      picked.push(best);
      left.delete(best);
      const chosen = vectors[best] as Float32Array;
      for (const i of left) maxSimilarity[i] = Math.max(maxSimilarity[i] as number, cosine(chosen, vectors[i] as Float32Array));
    }
    return picked.map((i) => candidates[i] as RetrievedChunk);
  }

  private async vectorsOf(chunks: readonly RetrievedChunk[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    const stored = new Map<string, Float32Array>();
    if (this.options.collection) {
      for (const record of await this.options.collection.get(chunks.map((c) => c.id))) stored.set(record.id, record.vector);
    }
    const missing = chunks.filter((c) => !stored.has(c.id));
    if (missing.length > 0) {
      const embedded = await this.embedder.embed(
        missing.map((c) => c.text),
        signal === undefined ? {} : { signal },
      );
      missing.forEach((c, i) => stored.set(c.id, embedded[i] as Float32Array));
    }
    return chunks.map((c) => stored.get(c.id) as Float32Array);
  }
}
