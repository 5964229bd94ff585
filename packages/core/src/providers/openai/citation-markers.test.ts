import { describe, expect, it } from 'vitest';
import { extractCitations } from './citation-markers.js';

const documents = [
  { id: 'a', text: 'Alpha.', source: 'a.md' },
  { id: 'b', text: 'Beta.' },
  { id: 'c', text: 'Gamma.' },
];

describe('extractCitations', () => {
  it('maps [n], [n, m] and [n][m] to documents in order of first mention, once each', () => {
    expect(extractCitations('Gamma [3]. Alpha and beta [1, 2][3].', documents)).toEqual([
      { documentId: 'c', quote: 'Gamma.' },
      { documentId: 'a', quote: 'Alpha.', source: 'a.md' },
      { documentId: 'b', quote: 'Beta.' },
    ]);
  });

  it('ignores numbers that name no document', () => {
    expect(extractCitations('See [0] and [9].', documents)).toEqual([]);
  });
});
