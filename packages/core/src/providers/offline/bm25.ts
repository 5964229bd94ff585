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
 * How many more terms than a document a query needs before the document is
 * walked instead: below that, walking the query costs less than the lookup
 * table, and the slack keeps the work linear (at most this much per document).
 */
const WALK_DOCUMENT_AFTER = 32;

/** A query's distinct terms in order, with their idfs; `byTerm` (term -> place) is built when a document shorter than the query needs it. */
interface WeightedQuery {
  readonly terms: readonly string[];
  readonly idfs: Float64Array;
  byTerm?: Map<string, number>;
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
    this.countFrequencies([term]);
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
    return referenceOf(this.weighted(queryTerms));
  }

  /** Each document's `score` over `referenceScore`, at most 1 (the share of the query it covers), the query weighed once for both. */
  coverageAll(queryTerms: readonly string[]): Float64Array {
    const query = this.weighted(queryTerms);
    const reference = referenceOf(query);
    return Float64Array.from(this.bags, (_, i) => Math.min(1, this.scoreBag(query, i) / reference));
  }

  private weighted(queryTerms: readonly string[]): WeightedQuery {
    const terms = [...new Set(queryTerms)];
    this.countFrequencies(terms);
    const idfs = new Float64Array(terms.length);
    for (let k = 0; k < terms.length; k++) idfs[k] = this.idfOf(terms[k] as string);
    return { terms, idfs };
  }

  private idfOf(term: string): number {
    const df = Math.max(1, this.documentFrequency.get(term) ?? 0);
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** Counts the document frequencies not known yet in one pass, each document walked on its side or the terms' (see WALK_DOCUMENT_AFTER). */
  private countFrequencies(terms: readonly string[]): void {
    if (terms.every((term) => this.documentFrequency.has(term))) return;
    const missing = terms.filter((term) => !this.documentFrequency.has(term));
    const df = new Int32Array(missing.length);
    let place: Map<string, number> | undefined;
    for (const { counts } of this.bags) {
      if (missing.length > counts.size + WALK_DOCUMENT_AFTER) {
        place ??= new Map(missing.map((term, k) => [term, k]));
        for (const term of counts.keys()) {
          const k = place.get(term);
          if (k !== undefined) df[k]!++;
        }
      } else {
        for (let k = 0; k < missing.length; k++) if (counts.has(missing[k] as string)) df[k]!++;
      }
    }
    missing.forEach((term, k) => this.documentFrequency.set(term, df[k] as number));
  }

  private scoreBag(query: WeightedQuery, documentIndex: number): number {
    const { counts, length } = this.bags[documentIndex] as TermBag;
    const norm = this.k1 * (1 - this.b + (this.b * length) / (this.averageLength || 1));
    const { terms, idfs } = query;
    let sum = 0;
    if (terms.length <= counts.size + WALK_DOCUMENT_AFTER) {
      for (let k = 0; k < terms.length; k++) {
        const tf = counts.get(terms[k] as string);
        if (tf) sum += ((idfs[k] as number) * tf * (this.k1 + 1)) / (tf + norm);
      }
      return sum;
    }
    // A long query against a short document: walk the document, then add in query order as above.
    query.byTerm ??= new Map(terms.map((term, k) => [term, k]));
    const matched: Array<{ place: number; value: number }> = [];
    for (const [term, tf] of counts) {
      const k = query.byTerm.get(term);
      if (k !== undefined && tf) matched.push({ place: k, value: ((idfs[k] as number) * tf * (this.k1 + 1)) / (tf + norm) });
    }
    matched.sort((x, y) => x.place - y.place);
    for (const { value } of matched) sum += value;
    return sum;
  }
}

function referenceOf(query: WeightedQuery): number {
  let sum = 0;
  for (const idf of query.idfs) sum += idf;
  return sum;
}

function isTermBag(document: readonly string[] | TermBag): document is TermBag {
  return !Array.isArray(document);
}
