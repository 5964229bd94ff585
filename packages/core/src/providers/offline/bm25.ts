export interface Bm25Options {
  /** Term-frequency saturation; higher lets repeated terms count longer. */
  k1?: number;
  /** Length normalisation, 0 (none) to 1 (full). */
  b?: number;
}

/**
 * Okapi BM25 over pre-tokenised documents (see `searchTerms`), with Lucene's
 * always-positive idf `ln(1 + (N - df + 0.5) / (df + 0.5))`.
 */
export class Bm25Index {
  private readonly k1: number;
  private readonly b: number;
  private readonly termCounts: Array<Map<string, number>>;
  private readonly lengths: number[];
  private readonly documentFrequency = new Map<string, number>();
  private readonly averageLength: number;

  constructor(documents: readonly (readonly string[])[], options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.lengths = documents.map((terms) => terms.length);
    this.termCounts = documents.map((terms) => {
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const term of counts.keys()) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
      return counts;
    });
    const total = this.lengths.reduce((sum, n) => sum + n, 0);
    this.averageLength = documents.length === 0 ? 0 : total / documents.length;
  }

  get size(): number {
    return this.lengths.length;
  }

  /** Inverse document frequency; a term no document has gets the idf of a term only one document has. */
  idf(term: string): number {
    const df = Math.max(1, this.documentFrequency.get(term) ?? 0);
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** BM25 of one document for the query terms (each distinct term counted once). */
  score(queryTerms: readonly string[], documentIndex: number): number {
    const counts = this.termCounts[documentIndex];
    const length = this.lengths[documentIndex];
    if (!counts || length === undefined) throw new RangeError(`no document ${documentIndex} in an index of ${this.size}`);
    const norm = this.k1 * (1 - this.b + (this.b * length) / (this.averageLength || 1));
    let sum = 0;
    for (const term of new Set(queryTerms)) {
      const tf = counts.get(term);
      if (tf) sum += (this.idf(term) * tf * (this.k1 + 1)) / (tf + norm);
    }
    return sum;
  }

  /**
   * The score a document of average length reaches when it holds every query
   * term once. Dividing by it turns BM25 into an idf-weighted share of the
   * query a document covers, comparable across queries (about 0..1).
   */
  referenceScore(queryTerms: readonly string[]): number {
    let sum = 0;
    for (const term of new Set(queryTerms)) sum += this.idf(term);
    return sum;
  }
}
