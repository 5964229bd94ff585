import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bm25Index, countTerms } from './bm25.js';
import { searchTerms } from './tokenize.js';

describe('Bm25Index', () => {
  const docs = ['the cat sat on the mat', 'the dog chased the cat', 'stock prices fell sharply today', 'the the the the'].map(searchTerms);
  const index = new Bm25Index(docs);

  it('ranks documents with rare query terms first', () => {
    const query = searchTerms('cat on a mat');
    const scores = docs.map((_, i) => index.score(query, i));
    expect(scores[0]).toBeGreaterThan(scores[1] as number);
    expect(scores[1]).toBeGreaterThan(0);
    expect(scores[2]).toBe(0);
  });

  it('weights rare terms above common ones', () => {
    expect(index.idf('mat')).toBeGreaterThan(index.idf('the'));
    // Unknown terms count as if one document had them, never infinitely rare.
    expect(index.idf('zebra')).toBe(index.idf('mat'));
  });

  it('normalises against a reference score of about 1 for a full match', () => {
    const query = searchTerms('stock prices');
    const ratio = index.score(query, 2) / index.referenceScore(query);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.3);
  });

  it('rejects an unknown document index', () => {
    expect(() => index.score(['cat'], 9)).toThrow(RangeError);
  });

  it('scores all documents at once, and from pre-counted terms, exactly as one by one', () => {
    const query = searchTerms('the cat on the mat today');
    const oneByOne = docs.map((_, i) => index.score(query, i));
    expect([...index.scoreAll(query)]).toEqual(oneByOne);
    expect([...new Bm25Index(docs.map(countTerms)).scoreAll(query)]).toEqual(oneByOne);
    expect([...index.coverageAll(query)]).toEqual(oneByOne.map((score) => Math.min(1, score / index.referenceScore(query))));
  });

  it('gives the textbook sums bit for bit, also for queries far longer than the documents', () => {
    // BM25 as written: idf from a count over every document, terms summed in query order.
    const textbook = (documents: string[][], query: string[]): number[] => {
      const average = documents.reduce((sum, d) => sum + d.length, 0) / documents.length || 1;
      const idf = (term: string): number => {
        const df = Math.max(1, documents.filter((d) => d.includes(term)).length);
        return Math.log(1 + (documents.length - df + 0.5) / (df + 0.5));
      };
      return documents.map((d) => {
        const norm = 1.2 * (1 - 0.75 + (0.75 * d.length) / average);
        let sum = 0;
        for (const term of new Set(query)) {
          const tf = d.filter((t) => t === term).length;
          if (tf) sum += (idf(term) * tf * 2.2) / (tf + norm);
        }
        return sum;
      });
    };
    // Few common terms and many rare ones, so queries reach far more distinct terms than a document holds (the document-walking path).
    const term = fc.oneof(fc.constantFrom(...'abcdefghij'.split(''), 'cat', 'mat', 'dog'), fc.integer({ min: 0, max: 300 }).map((n) => `w${n}`));
    fc.assert(
      fc.property(fc.array(fc.array(term, { maxLength: 8 }), { minLength: 1, maxLength: 12 }), fc.array(term, { maxLength: 120 }), (documents, query) => {
        expect([...new Bm25Index(documents).scoreAll(query)]).toEqual(textbook(documents, query));
      }),
      { numRuns: 500 },
    );
    const long = Array.from({ length: 90 }, (_, i) => `w${i}`);
    const short = [['w3', 'w50', 'cat'], ['w3', 'w89', 'w89', 'w0'], ['dog', 'w3']];
    expect([...new Bm25Index(short).scoreAll(long)]).toEqual(textbook(short, long));
    expect(new Bm25Index(short).scoreAll(long)[0]).toBeGreaterThan(0);
  });
});
