import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { segmentWords, words } from './segment-words.js';

const whole = (text: string) => [...new Intl.Segmenter('en', { granularity: 'word' }).segment(text)].map(({ segment, index, isWordLike }) => ({ segment, index, isWordLike: isWordLike === true }));

// Every ASCII character, with the ones UAX #29 treats specially (joiners, `_`, spaces, CR/LF) drawn far more often.
const asciiChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'aZq09_.\':,; \r\n') },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)) },
);
const asciiText = fc.array(asciiChar, { maxLength: 40 }).map((chars) => chars.join(''));

describe('segmentWords', () => {
  it('segments ASCII exactly as Intl.Segmenter does (its own pattern, not ICU)', () => {
    fc.assert(
      fc.property(asciiText, (text) => {
        const expected = whole(text);
        expect([...segmentWords(text)]).toEqual(expected);
        expect(words(text)).toEqual(expected.filter((s) => s.isWordLike).map((s) => s.segment));
      }),
      { numRuns: 20_000 },
    );
  });

  it('keeps contractions, decimals, abbreviations and snake_case whole in ASCII', () => {
    expect(words("Don't pay 1,299.50 e.g. via my_card: a:b __ _ x")).toEqual(["Don't", 'pay', '1,299.50', 'e.g', 'via', 'my_card', 'a:b', '__', 'x']);
  });

  it('gives the same segments and offsets as one Intl.Segmenter pass over a long mixed text', () => {
    const paragraph = 'Reset your password from the account page. 如何重置密码？请在账户页面点击“忘记密码”。パスワードを再設定してください。 ';
    const text = paragraph.repeat(200);
    expect(text.length).toBeGreaterThan(10_000);
    expect([...segmentWords(text)]).toEqual(whole(text));
  });

  it('cuts a run with no break anywhere without losing or splitting characters', () => {
    const text = `${'a'.repeat(5000)}😀${'b'.repeat(3000)}`;
    const segments = [...segmentWords(text)];
    expect(segments.map((s) => s.segment).join('')).toBe(text);
    for (const s of segments) expect(text.slice(s.index, s.index + s.segment.length)).toBe(s.segment);
  });
});
