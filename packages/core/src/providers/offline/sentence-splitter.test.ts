import { describe, expect, it } from 'vitest';
import { splitSentences } from './sentence-splitter.js';

const texts = (text: string): string[] => splitSentences(text).map((s) => s.text);

describe('splitSentences', () => {
  it('splits on . ? ! and line breaks, not on decimals, e.g. or titles', () => {
    expect(texts('Mr. Smith paid $3.50, e.g. for tea. Did he?! Yes.\nNew line without stop\nThe U.S. Army won.')).toEqual([
      'Mr. Smith paid $3.50, e.g. for tea.',
      'Did he?!',
      'Yes.',
      'New line without stop',
      'The U.S. Army won.',
    ]);
  });

  it('splits Chinese on 。！？', () => {
    expect(texts('东京是日本的首都。你好吗？很好！')).toEqual(['东京是日本的首都。', '你好吗？', '很好！']);
  });

  it('returns exact offsets into the source', () => {
    const text = '  First one.   Second one?\n\n';
    for (const span of splitSentences(text)) expect(text.slice(span.start, span.end)).toBe(span.text);
    expect(texts(text)).toEqual(['First one.', 'Second one?']);
    expect(splitSentences('   ')).toEqual([]);
  });

  it('splits a long text as one pass over it does, abbreviations glued across windows', () => {
    const paragraph = 'Mr. Smith paid $3.50, e.g. for tea. The U.S. Army won! 东京是日本的首都。Did he?\n';
    const short = splitSentences(paragraph);
    const long = splitSentences(paragraph.repeat(500));
    expect(paragraph.length * 500).toBeGreaterThan(20_000);
    expect(long).toHaveLength(short.length * 500);
    long.forEach((span, i) => {
      const model = short[i % short.length]!;
      const shift = Math.floor(i / short.length) * paragraph.length;
      expect(span).toEqual({ text: model.text, start: model.start + shift, end: model.end + shift });
    });
  });

  it('glues a run of initials and splits punctuation-dense text whole, offsets exact', () => {
    // ICU breaks before each capital; every piece ends in an initial, so all are glued into one.
    const initials = 'A. '.repeat(20_000);
    const glued = splitSentences(initials);
    expect(glued).toHaveLength(1);
    expect(glued[0]!.text === initials.trim()).toBe(true);
    const dense = '1.!2?3.(4)!5;?'.repeat(20_000);
    const spans = splitSentences(dense);
    expect(spans.length).toBeGreaterThan(20_000);
    for (const span of spans) expect(dense.slice(span.start, span.end)).toBe(span.text);
    expect(spans.map((s) => s.text).join('')).toBe(dense);
  });
});
