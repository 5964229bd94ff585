import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Boundaries } from './boundaries.js';

const xquad = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../../shared/data/qa/xquad.en.json', import.meta.url)), 'utf8')) as {
  data: Array<{ paragraphs: Array<{ context: string }> }>;
};

function direct(text: string, granularity: 'sentence' | 'grapheme' | 'word'): number[] {
  const starts = [...new Intl.Segmenter(undefined, { granularity }).segment(text)].map((s) => s.index);
  return starts.filter((p) => p > 0);
}

describe('Boundaries', () => {
  // Segmenting is done a window at a time; the windows must not change the answer.
  it('finds the same sentence boundaries as one pass over the text', () => {
    const text = xquad.data.slice(0, 12).flatMap((a) => a.paragraphs.map((p) => p.context)).join(' ');
    expect(text.length).toBeGreaterThan(20_000);
    expect(new Boundaries(text).within('sentence', 0, 0, text.length)).toEqual(direct(text, 'sentence'));
  });

  it('finds the same grapheme and word boundaries inside a window', () => {
    const text = 'Cafe\u0301 😀 👨‍👩‍👧‍👦 🇯🇵🇫🇷 東京は日本の首都です。'.repeat(40);
    const bounds = new Boundaries(text);
    const graphemes = direct(text, 'grapheme');
    expect(bounds.within('grapheme', 0, 0, text.length - 1)).toEqual(graphemes.filter((p) => p <= text.length - 1));
    expect(bounds.within('word', 0, 0, text.length - 1)).toEqual(direct(text, 'word').filter((p) => p <= text.length - 1));
    const from = graphemes[100]!;
    expect(bounds.within('grapheme', from, from + 10, from + 300)).toEqual(graphemes.filter((p) => p > from + 10 && p <= from + 300));
    expect(bounds.nextGrapheme(from)).toBe(graphemes[101]);
  });

  it('adds CJK sentence ends with their closing quotes', () => {
    const text = '他说：“明天见。”我们走吧；好！';
    expect(new Boundaries(text).within('sentence', 0, 0, text.length)).toContain(text.indexOf('我'));
    expect(new Boundaries(text).within('sentence', 0, 0, text.length)).toContain(text.indexOf('好'));
  });
});
