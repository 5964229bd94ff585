import { segmentInWindows } from './segment-in-windows.js';

// A fixed locale keeps segmentation the same whatever LANG the host has;
// ICU's CJK dictionary segmentation does not depend on it.
const wordSegmenter = new Intl.Segmenter('en', { granularity: 'word' });

/**
 * Plain ASCII text (most requests) is segmented by this pattern instead of
 * ICU, which costs microseconds per call even for a short question. It is
 * UAX #29 as V8's ICU applies it to ASCII: letters and digits run together,
 * `_` joins anything, `.`, `'` and `:` join two letters, `.`, `'`, `,` and
 * `;` join two digits, spaces run together, CR LF stays whole, and any other
 * character stands alone. segment-words.test.ts holds it equal to
 * Intl.Segmenter on random ASCII.
 */
const ASCII_WORD = /[A-Za-z0-9_]+(?:(?:(?<=[A-Za-z])[.':](?=[A-Za-z])|(?<=[0-9])[.',;](?=[0-9]))[A-Za-z0-9_]+)*/;
const ASCII_SEGMENT = new RegExp(`(${ASCII_WORD.source})| +|\\r\\n|[^]`, 'gy');
const ASCII_WORDS = new RegExp(ASCII_WORD.source, 'g');
const NON_ASCII = /[^\0-\x7f]/;

/** ICU leaves a lone `_` out of the word-like segments (a run of them is in). */
const isAsciiWordLike = (word: string): boolean => word !== '_';

export interface WordSegment {
  segment: string;
  /** Offset in the whole text. */
  index: number;
  isWordLike: boolean;
}

/**
 * `Intl.Segmenter` word segments of the text, in order, concatenating back to
 * it; long text is segmented a window at a time (see `segmentInWindows`).
 */
export function* segmentWords(text: string): Generator<WordSegment> {
  if (!NON_ASCII.test(text)) {
    ASCII_SEGMENT.lastIndex = 0;
    for (let match = ASCII_SEGMENT.exec(text); match; match = ASCII_SEGMENT.exec(text)) {
      const word = match[1];
      yield { segment: match[0], index: match.index, isWordLike: word !== undefined && isAsciiWordLike(word) };
    }
    return;
  }
  for (const { segment, index, isWordLike } of segmentInWindows(text, wordSegmenter)) {
    yield { segment, index, isWordLike: isWordLike === true };
  }
}

/** The word-like segments of `text` alone: what `segmentWords` yields with `isWordLike`, without the rest. */
export function words(text: string): string[] {
  if (NON_ASCII.test(text)) {
    const found: string[] = [];
    for (const { segment, isWordLike } of segmentWords(text)) if (isWordLike) found.push(segment);
    return found;
  }
  return (text.match(ASCII_WORDS) ?? []).filter(isAsciiWordLike);
}
