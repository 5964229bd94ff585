// A fixed locale keeps segmentation the same whatever LANG the host has;
// ICU's CJK dictionary segmentation does not depend on it.
const wordSegmenter = new Intl.Segmenter('en', { granularity: 'word' });

/** Longest text handed to the segmenter at once. */
const WINDOW = 2048;
/** How far back from a window's end a cut at whitespace or sentence punctuation is looked for. */
const LOOKBACK = 512;
const BREAK = /[\s。！？；，、.!?;,]/u;

/** Where to cut `text` at or before `limit` so that no word spans the cut. */
function cutPoint(text: string, start: number, limit: number): number {
  for (let i = limit; i > limit - LOOKBACK && i > start; i--) {
    if (BREAK.test(text[i - 1] ?? '')) return i;
  }
  // No break nearby (one huge token): any cut that does not split a surrogate pair.
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}

export interface WordSegment {
  segment: string;
  /** Offset in the whole text. */
  index: number;
  isWordLike: boolean;
}

/**
 * `Intl.Segmenter` word segments of the text, in order, concatenating back to
 * it. V8's segment iterator slows down more than linearly on long strings
 * (50 KB took seconds on Node 20), which a hostile request could exploit, so
 * long text is segmented in windows cut at whitespace or punctuation.
 */
export function* segmentWords(text: string): Generator<WordSegment> {
  for (let start = 0; start < text.length; ) {
    const end = text.length - start <= WINDOW ? text.length : cutPoint(text, start, start + WINDOW);
    for (const { segment, index, isWordLike } of wordSegmenter.segment(text.slice(start, end))) {
      yield { segment, index: start + index, isWordLike: isWordLike === true };
    }
    start = end;
  }
}
