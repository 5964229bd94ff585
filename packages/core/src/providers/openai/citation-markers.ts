import type { Citation, GroundingDocument } from '../../models/model-types.js';

// `[2]`, and the `[1, 3]` / `[1][3]` forms models also write.
const MARKER = /\[(\d+(?:\s*,\s*\d+)*)\]/g;

/**
 * The documents an answer cites by the `[n]` numbers of the rendered
 * context, in order of first mention; numbers outside the list are ignored
 * rather than trusted.
 */
export function extractCitations(text: string, documents: readonly GroundingDocument[]): Citation[] {
  const cited = new Set<number>();
  for (const match of text.matchAll(MARKER)) {
    for (const number of (match[1] ?? '').split(',')) cited.add(Number(number.trim()));
  }
  const citations: Citation[] = [];
  for (const n of cited) {
    const doc = documents[n - 1];
    if (!doc) continue;
    citations.push({ documentId: doc.id, quote: doc.text, ...(doc.source === undefined ? {} : { source: doc.source }) });
  }
  return citations;
}
