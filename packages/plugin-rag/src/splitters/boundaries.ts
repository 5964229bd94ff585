import { segmentInWindows } from '@ferry/core';

/**
 * Candidate cut positions in a text, coarse to fine. A boundary is an offset
 * where a chunk may end (and the next begin); separators stay at the end of
 * the piece before them, so cutting at boundaries loses no text.
 */
export type BoundaryLevel = 'paragraph' | 'line' | 'sentence' | 'space' | 'word' | 'grapheme';

/** Chinese / Japanese sentence enders (and fullwidth forms), with any closing quotes or brackets after them. */
const CJK_SENTENCE_END = /[。．｡！？；][」』”’）〕】〉》"')\]]*/gu;
const PARAGRAPH_END = /\n(?:[^\S\n]*\n)+/g;
const LINE_END = /\n/g;
const SPACE_RUN = /\s+/g;
/** A position before one of these would split a grapheme (combining marks, joiners, variation selectors, low surrogates). */
const CONTINUES_CLUSTER = /^[\p{M}\u200C\u200D\uFE00-\uFE0F\uDC00-\uDFFF]/u;

const sentenceSegmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function matchEnds(text: string, pattern: RegExp): number[] {
  const out: number[] = [];
  for (const match of text.matchAll(pattern)) out.push(match.index + match[0].length);
  return out;
}

/** Segment starts in (from, to], the text segmented a window at a time from `from` on (see `segmentInWindows`). */
function segmentStarts(text: string, segmenter: Intl.Segmenter, from: number, to: number, window: number): number[] {
  const out: number[] = [];
  for (const { index } of segmentInWindows(text, segmenter, { from, window })) {
    if (index > to) break;
    if (index > from) out.push(index);
  }
  return out;
}

/** Sorted, unique, and only where a cut keeps every grapheme whole. */
function clean(text: string, positions: number[]): number[] {
  const sorted = [...new Set(positions)].sort((a, b) => a - b);
  return sorted.filter((p) => p > 0 && p < text.length && !CONTINUES_CLUSTER.test(text.slice(p, p + 1)) && text[p - 1] !== '\u200D');
}

/** First index in sorted `values` whose value is > `bound`. */
export function upperBound(values: readonly number[], bound: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Boundaries of one text. Paragraph, line, sentence and space boundaries are
 * found once for the whole text; word and grapheme boundaries only inside the
 * window being cut, since most chunks never need them.
 */
export class Boundaries {
  private readonly coarse: Record<'paragraph' | 'line' | 'sentence' | 'space', number[]>;

  constructor(readonly text: string) {
    this.coarse = {
      paragraph: clean(text, matchEnds(text, PARAGRAPH_END)),
      line: clean(text, matchEnds(text, LINE_END)),
      sentence: clean(text, [...segmentStarts(text, sentenceSegmenter, 0, text.length, 4096), ...matchEnds(text, CJK_SENTENCE_END)]),
      space: clean(text, matchEnds(text, SPACE_RUN)),
    };
  }

  /**
   * Boundaries of `level` in (lo, hi]. `anchor` must itself be a grapheme
   * boundary at or before lo: fine levels are segmented from there.
   */
  within(level: BoundaryLevel, anchor: number, lo: number, hi: number): number[] {
    if (hi <= lo) return [];
    if (level === 'word' || level === 'grapheme') {
      const segmenter = level === 'word' ? wordSegmenter : graphemeSegmenter;
      return clean(this.text, segmentStarts(this.text, segmenter, anchor, hi, 256)).filter((p) => p > lo);
    }
    const all = this.coarse[level];
    return all.slice(upperBound(all, lo), upperBound(all, hi));
  }

  /** The first grapheme boundary after `from` (or the text's end). */
  nextGrapheme(from: number): number {
    for (let window = 64; ; window *= 4) {
      const end = Math.min(this.text.length, from + window);
      for (const segment of graphemeSegmenter.segment(this.text.slice(from, end))) if (segment.index > 0) return from + segment.index;
      if (end === this.text.length) return end;
    }
  }
}
