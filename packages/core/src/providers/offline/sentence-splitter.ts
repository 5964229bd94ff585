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

/** Splits text into sentences; blank pieces are dropped. */
export function splitSentences(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  let pending: { start: number; end: number } | undefined;
  for (const { segment, index } of sentenceSegmenter.segment(text)) {
    const start = pending?.start ?? index;
    const end = index + segment.length;
    const body = text.slice(start, end).trimEnd();
    if (ABBREVIATION.test(body) && !/\n\s*$/.test(segment)) {
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
