import { segmentInWindows } from './segment-in-windows.js';

/** A sentence and where it sits in its document, so a citation can point at the exact text. */
export interface SentenceSpan {
  /** The sentence with surrounding whitespace trimmed: an exact substring of the source. */
  text: string;
  start: number;
  end: number;
}

// ICU's sentence rules already keep decimals (`3.5`) and `e.g. foo` whole,
// break on `.?!` and `。！？`, and break at line ends.
const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * Abbreviations ICU breaks after when a capitalised word follows
 * (`Mr. Smith`, `Dr. Who`, `U.S. Army`); the piece is glued to the next one.
 */
const ABBREVIATION = /(?:^|[\s(])(?:mr|mrs|ms|dr|prof|sr|jr|st|mt|ft|vs|etc|inc|ltd|co|corp|gen|col|lt|sgt|capt|rev|gov|sen|rep|no|vol|pp|fig|approx|dept|est|[a-z]|(?:[a-z]\.)+[a-z])\.$/i;
/**
 * How much of a piece's end (trailing space left out) the abbreviation test
 * reads: more than any word above but an initialism run. Testing the whole
 * piece made a run of glued pieces (`a. b. c. ...`) quadratic.
 */
const ABBREVIATION_TAIL = 64;
const SPACE = /\s/;

/** Splits text into sentences; blank pieces are dropped. */
export function splitSentences(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  let pending: { start: number; end: number } | undefined;
  for (const { segment, index } of segmentInWindows(text, sentenceSegmenter, { window: 4096 })) {
    const start = pending?.start ?? index;
    const end = index + segment.length;
    let stop = end;
    while (stop > start && SPACE.test(text[stop - 1] as string)) stop--;
    if (ABBREVIATION.test(text.slice(Math.max(start, stop - ABBREVIATION_TAIL), stop)) && !/\n\s*$/.test(segment)) {
      pending = { start, end };
      continue;
    }
    pending = undefined;
    pushTrimmed(spans, text, start, end);
  }
  if (pending) pushTrimmed(spans, text, pending.start, pending.end);
  return spans;
}

function pushTrimmed(spans: SentenceSpan[], text: string, start: number, end: number): void {
  const raw = text.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  const trimmed = raw.trim();
  if (trimmed === '') return;
  spans.push({ text: trimmed, start: start + lead, end: start + lead + trimmed.length });
}
