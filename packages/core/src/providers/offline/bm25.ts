export interface Bm25Options {
  /** Term-frequency saturation; higher lets repeated terms count longer. */
  k1?: number;
  /** Length normalisation, 0 (none) to 1 (full). */
  b?: number;
}

/** A document's terms counted once, to be indexed many times (e.g. a cached chunk's sentences). */
export interface TermBag {
  readonly counts: ReadonlyMap<string, number>;
  /** Number of terms, repeats included. */
  readonly length: number;
}

export function countTerms(terms: readonly string[]): TermBag {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return { counts, length: terms.length };
}

/**
 * Okapi BM25 over pre-tokenised documents (see `searchTerms`), with Lucene's
 * always-positive idf `ln(1 + (N - df + 0.5) / (df + 0.5))`. Document
 * frequencies are counted for the terms queried only, when first asked: an
 * index built per question over a few dozen sentences (the extractive
 * answerer) would otherwise spend most of its time counting terms nobody asks for.
 */
export class Bm25Index {
  private readonly k1: number;
  private readonly b: number;
  private readonly bags: readonly TermBag[];
  private readonly documentFrequency = new Map<string, number>();
  private readonly averageLength: number;

  /** Each document as its terms, or as a `TermBag` counted once beforehand. */
  constructor(documents: ReadonlyArray<readonly string[] | TermBag>, options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.bags = documents.map((document) => (isTermBag(document) ? document : countTerms(document)));
    const total = this.bags.reduce((sum, bag) => sum + bag.length, 0);
    this.averageLength = this.bags.length === 0 ? 0 : total / this.bags.length;
  }

  get size(): number {
    return this.bags.length;
  }

  /** Inverse document frequency; a term no document has gets the idf of a term only one document has. */
  idf(term: string): number {
    const df = Math.max(1, this.frequency(term));
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** BM25 of one document for the query terms (each distinct term counted once). */
  score(queryTerms: readonly string[], documentIndex: number): number {
    if (!this.bags[documentIndex]) throw new RangeError(`no document ${documentIndex} in an index of ${this.size}`);
    return this.scoreBag(this.weighted(queryTerms), documentIndex);
  }

  /** BM25 of every document, in order: `score` for each, with the query's idfs worked out once. */
  scoreAll(queryTerms: readonly string[]): Float64Array {
    const terms = this.weighted(queryTerms);
    return Float64Array.from(this.bags, (_, i) => this.scoreBag(terms, i));
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

  private weighted(queryTerms: readonly string[]): Array<{ term: string; idf: number }> {
    return [...new Set(queryTerms)].map((term) => ({ term, idf: this.idf(term) }));
  }

  private scoreBag(terms: ReadonlyArray<{ term: string; idf: number }>, documentIndex: number): number {
    const { counts, length } = this.bags[documentIndex] as TermBag;
    const norm = this.k1 * (1 - this.b + (this.b * length) / (this.averageLength || 1));
    let sum = 0;
    for (const { term, idf } of terms) {
      const tf = counts.get(term);
      if (tf) sum += (idf * tf * (this.k1 + 1)) / (tf + norm);
    }
    return sum;
  }

  private frequency(term: string): number {
    let df = this.documentFrequency.get(term);
    if (df === undefined) {
      df = 0;
      for (const { counts } of this.bags) if (counts.has(term)) df++;
      this.documentFrequency.set(term, df);
    }
    return df;
  }
}

function isTermBag(document: readonly string[] | TermBag): document is TermBag {
  return !Array.isArray(document);
}
