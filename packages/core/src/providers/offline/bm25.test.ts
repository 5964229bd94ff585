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
  });
});
