import type { Tokenizer } from './split-options.js';

/** How big a stretch of text is: UTF-16 code units, or tokens of a model's tokenizer. */
export interface Measure {
  size(text: string, start: number, end: number): number;
  /** Largest end in (start, limit] for which size(start, end) fits `max`, found by growing; `limit` when all fits. */
  reach(text: string, start: number, limit: number, max: number): number;
}

export const characterMeasure: Measure = {
  size: (_text, start, end) => end - start,
  reach: (_text, start, limit, max) => Math.min(limit, start + max),
};

export function tokenMeasure(tokenizer: Tokenizer): Measure {
  const size = (text: string, start: number, end: number): number => tokenizer.encode(text.slice(start, end)).length;
  return {
    size,
    // Tokens cover at least one code unit only on average, so grow the window
    // until it overflows rather than assuming a chars-per-token ratio.
    reach(text, start, limit, max) {
      let end = Math.min(limit, start + max);
      while (end < limit && size(text, start, end) <= max) end = Math.min(limit, start + 2 * (end - start));
      return end;
    },
  };
}
