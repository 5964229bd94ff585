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

/** A distinct query term, with its place in the query: sums run in query order whichever side is walked. */
interface QueryTerm {
  idf: number;
  order: number;
}

/**
 * Okapi BM25 over pre-tokenised documents (see `searchTerms`), with Lucene's
 * always-positive idf `ln(1 + (N - df + 0.5) / (df + 0.5))`. Document
 * frequencies are counted for the terms queried only, when first asked: an
 * index built per question over a few dozen sentences (the extractive
 * answerer) would otherwise spend most of its time counting terms nobody asks for.
 * Work is linear in the query plus the documents, never their product: both
 * come from requests, and a long question against a long document would
 * otherwise take minutes.
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
    this.countFrequencies(new Set([term]));
    return this.idfOf(term);
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
    for (const { idf } of this.weighted(queryTerms).values()) sum += idf;
    return sum;
  }

  private weighted(queryTerms: readonly string[]): Map<string, QueryTerm> {
    const distinct = new Set(queryTerms);
    this.countFrequencies(distinct);
    const terms = new Map<string, QueryTerm>();
    for (const term of distinct) terms.set(term, { idf: this.idfOf(term), order: terms.size });
    return terms;
  }

  private idfOf(term: string): number {
    const df = Math.max(1, this.documentFrequency.get(term) ?? 0);
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** Counts the document frequencies not known yet in one pass, each document walked on its side or the terms', whichever is smaller. */
  private countFrequencies(terms: ReadonlySet<string>): void {
    const missing = new Map<string, number>();
    for (const term of terms) if (!this.documentFrequency.has(term)) missing.set(term, 0);
    if (missing.size === 0) return;
    for (const { counts } of this.bags) {
      if (counts.size < missing.size) {
        for (const term of counts.keys()) {
          const df = missing.get(term);
          if (df !== undefined) missing.set(term, df + 1);
        }
      } else {
        for (const [term, df] of missing) if (counts.has(term)) missing.set(term, df + 1);
      }
    }
    for (const [term, df] of missing) this.documentFrequency.set(term, df);
  }

  private scoreBag(terms: ReadonlyMap<string, QueryTerm>, documentIndex: number): number {
    const { counts, length } = this.bags[documentIndex] as TermBag;
    const norm = this.k1 * (1 - this.b + (this.b * length) / (this.averageLength || 1));
    const contribution = (idf: number, tf: number): number => (idf * tf * (this.k1 + 1)) / (tf + norm);
    let sum = 0;
    if (terms.size <= counts.size) {
      for (const [term, { idf }] of terms) {
        const tf = counts.get(term);
        if (tf) sum += contribution(idf, tf);
      }
      return sum;
    }
    // A long query against a short document: walk the document, then add in query order as above.
    const matched: Array<{ order: number; value: number }> = [];
    for (const [term, tf] of counts) {
      const query = terms.get(term);
      if (query && tf) matched.push({ order: query.order, value: contribution(query.idf, tf) });
    }
    matched.sort((x, y) => x.order - y.order);
    for (const { value } of matched) sum += value;
    return sum;
  }
}

function isTermBag(document: readonly string[] | TermBag): document is TermBag {
  return !Array.isArray(document);
}
