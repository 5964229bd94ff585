import { readFile } from 'node:fs/promises';
import { FerryError, STOP_WORDS, fromZodError, searchTerms, writeFileAtomic } from '@ferry/core';
import { z } from 'zod';
import type { MetadataValue } from '../documents/chunk.js';
import { checkMetadataFilter, matchesFilter } from '../stores/metadata-filter.js';
import type { MetadataFilter } from '../stores/vector-store.js';

export interface KeywordDocument {
  id: string;
  text: string;
  metadata: Record<string, MetadataValue>;
}

export interface KeywordHit extends KeywordDocument {
  /** Okapi BM25. */
  score: number;
  /** BM25 over the score a document of average length holding every query term once reaches: about 0..1, comparable across queries. */
  coverage: number;
}

export interface KeywordIndexOptions {
  /** Term-frequency saturation; 1.2 by default. */
  k1?: number;
  /** Length normalisation, 0 (none) to 1 (full); 0.75 by default. */
  b?: number;
}

interface Entry {
  text: string;
  metadata: Record<string, MetadataValue>;
  length: number;
  terms: Map<string, number>;
}

const FORMAT = 'ferry-bm25';
const metadataValue = z.union([z.string(), z.number(), z.boolean()]);
const fileSchema = z.strictObject({
  format: z.literal(FORMAT),
  version: z.literal(1),
  k1: z.number().positive(),
  b: z.number().min(0).max(1),
  documents: z.array(
    z.tuple([z.string().min(1), z.string(), z.record(z.string(), metadataValue), z.array(z.tuple([z.string(), z.number().int().positive()]))]),
  ),
});

/**
 * Terms of a text for BM25: `Intl.Segmenter` words (dictionary words for
 * Chinese and Japanese) plus CJK character bigrams, NFKC-folded, as core's
 * offline models tokenise.
 */
export function keywordTerms(text: string): string[] {
  return searchTerms(text);
}

/** Query terms: the same, without stop words, which only add noise to a short query. */
export function queryTerms(query: string): string[] {
  const terms = searchTerms(query);
  const content = terms.filter((t) => !STOP_WORDS.has(t));
  return content.length > 0 ? content : terms;
}

/**
 * An updatable BM25 index over chunks (Lucene's always-positive idf), with
 * metadata filters and atomic save/load, kept beside a vector store so hybrid
 * retrieval needs no second server. Postings are kept per term, so a query
 * touches only the chunks holding one of its terms.
 */
export class KeywordIndex {
  readonly k1: number;
  readonly b: number;
  private readonly entries = new Map<string, Entry>();
  private readonly postings = new Map<string, Map<string, number>>();
  private totalLength = 0;

  constructor(options: KeywordIndexOptions = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    if (!(this.k1 > 0) || !(this.b >= 0 && this.b <= 1)) {
      throw new FerryError('INPUT_INVALID', `BM25 parameters out of range: k1 ${this.k1}, b ${this.b}`, {
        field: 'options',
        hint: 'Use k1 > 0 (1.2 is usual) and b in 0..1 (0.75 is usual).',
      });
    }
  }

  get size(): number {
    return this.entries.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  /** Inserts or replaces by id. */
  upsert(documents: readonly KeywordDocument[]): void {
    for (const doc of documents) {
      const counts = new Map<string, number>();
      const terms = keywordTerms(doc.text);
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      this.put(doc.id, { text: doc.text, metadata: { ...doc.metadata }, length: terms.length, terms: counts });
    }
  }

  delete(ids: readonly string[]): void {
    for (const id of ids) this.remove(id);
  }

  /** Best first; chunks holding none of the query's terms are not returned. */
  search(query: string, options: { k: number; filter?: MetadataFilter }): KeywordHit[] {
    if (options.filter !== undefined) checkMetadataFilter(options.filter);
    const terms = [...new Set(queryTerms(query))];
    if (terms.length === 0 || this.entries.size === 0) return [];
    const reference = this.referenceScore(terms);
    const scores = new Map<string, number>();
    const rejected = new Set<string>();
    for (const term of terms) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      const idf = this.idf(term);
      for (const [id, tf] of posting) {
        if (rejected.has(id)) continue;
        const entry = this.entries.get(id) as Entry;
        if (!scores.has(id) && options.filter !== undefined && !matchesFilter(entry.metadata, options.filter)) {
          rejected.add(id);
          continue;
        }
        scores.set(id, (scores.get(id) ?? 0) + this.termScore(idf, tf, entry.length));
      }
    }
    return [...scores]
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
      .slice(0, options.k)
      .map(([id, score]) => {
        const entry = this.entries.get(id) as Entry;
        return { id, text: entry.text, metadata: { ...entry.metadata }, score, coverage: Math.min(1, score / reference) };
      });
  }

  /** `coverage` (see KeywordHit) of each id for the query; 0 for ids the index lacks. */
  coverage(query: string, ids: readonly string[]): number[] {
    const terms = [...new Set(queryTerms(query))];
    if (terms.length === 0) return ids.map(() => 0);
    const reference = this.referenceScore(terms);
    return ids.map((id) => {
      const entry = this.entries.get(id);
      if (!entry) return 0;
      let score = 0;
      for (const term of terms) {
        const tf = entry.terms.get(term);
        if (tf) score += this.termScore(this.idf(term), tf, entry.length);
      }
      return Math.min(1, score / reference);
    });
  }

  /** Writes the index atomically (temp file, fsync, rename): a crash leaves the old file or the new one. */
  async save(path: string): Promise<void> {
    const documents = [...this.entries].map(([id, e]) => [id, e.text, e.metadata, [...e.terms]]);
    await writeFileAtomic(path, JSON.stringify({ format: FORMAT, version: 1, k1: this.k1, b: this.b, documents }));
  }

  /** Loads a saved index; undefined when the file does not exist. */
  static async load(path: string): Promise<KeywordIndex | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new FerryError('INPUT_INVALID', `keyword index ${path} is not valid JSON`, {
        field: 'path',
        hint: 'Delete the file and run ingest again to rebuild it (or rebuild it from the vector store with KeywordIndex.fromCollection).',
        cause,
      });
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) {
      throw fromZodError('INPUT_INVALID', parsed.error, {
        what: `keyword index ${path}`,
        hint: 'Delete the file and run ingest again to rebuild it.',
      });
    }
    const index = new KeywordIndex({ k1: parsed.data.k1, b: parsed.data.b });
    for (const [id, text, metadata, terms] of parsed.data.documents) {
      const counts = new Map(terms);
      let length = 0;
      for (const tf of counts.values()) length += tf;
      index.put(id, { text, metadata, length, terms: counts });
    }
    return index;
  }

  /** Rebuilds an index from every record of a collection (for stores ingested without one). */
  static async fromCollection(
    collection: { listIds(): Promise<string[]>; get(ids: string[]): Promise<KeywordDocument[]> },
    options: KeywordIndexOptions & { batchSize?: number } = {},
  ): Promise<KeywordIndex> {
    const index = new KeywordIndex(options);
    const ids = await collection.listIds();
    const batch = options.batchSize ?? 500;
    for (let i = 0; i < ids.length; i += batch) {
      const records = await collection.get(ids.slice(i, i + batch));
      index.upsert(records.map((r) => ({ id: r.id, text: r.text, metadata: r.metadata })));
    }
    return index;
  }

  private put(id: string, entry: Entry): void {
    this.remove(id);
    this.entries.set(id, entry);
    this.totalLength += entry.length;
    for (const [term, tf] of entry.terms) {
      let posting = this.postings.get(term);
      if (!posting) this.postings.set(term, (posting = new Map()));
      posting.set(id, tf);
    }
  }

  private remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.totalLength -= entry.length;
    for (const term of entry.terms.keys()) {
      const posting = this.postings.get(term);
      posting?.delete(id);
      if (posting?.size === 0) this.postings.delete(term);
    }
  }

  /** A term no chunk holds gets the idf of one that a single chunk holds, so coverage still counts it as missing. */
  private idf(term: string): number {
    const df = Math.max(1, this.postings.get(term)?.size ?? 0);
    return Math.log(1 + (this.entries.size - df + 0.5) / (df + 0.5));
  }

  private termScore(idf: number, tf: number, length: number): number {
    const average = this.totalLength / this.entries.size || 1;
    return (idf * tf * (this.k1 + 1)) / (tf + this.k1 * (1 - this.b + (this.b * length) / average));
  }

  private referenceScore(terms: readonly string[]): number {
    let sum = 0;
    for (const term of terms) sum += this.idf(term);
    return sum || 1;
  }
}
