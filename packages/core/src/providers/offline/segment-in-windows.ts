export interface TextSegment {
  segment: string;
  /** Offset in the whole text. */
  index: number;
  /** As `Intl.Segmenter` says for word granularity; undefined for the others. */
  isWordLike?: boolean;
}

export interface WindowOptions {
  /** Where to start; must itself be a boundary of the segmenter's kind. Default 0. */
  from?: number;
  /** Characters handed to the segmenter at once. Default 2,048. */
  window?: number;
}

/**
 * `segmenter`'s segments of `text` from `from` on, lazily, as one pass over
 * the whole text gives them, but in time linear in the text. V8's segment
 * iterator costs time in proportion to the whole string at every step, so one
 * pass over a long text is quadratic (200 KB of punctuation-dense text took
 * seconds to split into sentences on Node 20): a hostile request could hold a
 * core with it. A window's segments are kept only where they end a quarter
 * window before its end, since ICU decides a boundary by looking at the text
 * after it (`3.` then `50` is one word); the rest is segmented again in the
 * next window. A segment longer than that is cut at the window's end (never
 * inside a surrogate pair), so only segments that long can differ from one pass.
 */
export function* segmentInWindows(text: string, segmenter: Intl.Segmenter, options: WindowOptions = {}): Generator<TextSegment> {
  const window = options.window ?? 2048;
  const lookahead = Math.floor(window / 4);
  let pos = options.from ?? 0;
  while (pos < text.length) {
    let end = Math.min(text.length, pos + window);
    if (end < text.length && isLowSurrogate(text.charCodeAt(end)) && end - 1 > pos) end--;
    const last = end === text.length;
    let next = end;
    for (const { segment, index, isWordLike } of segmenter.segment(text.slice(pos, end))) {
      const start = pos + index;
      if (!last && start > pos && start + segment.length > end - lookahead) {
        next = start;
        break;
      }
      yield isWordLike === undefined ? { segment, index: start } : { segment, index: start, isWordLike };
    }
    pos = next;
  }
}

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;
