import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { segmentInWindows } from './segment-in-windows.js';

const GRANULARITIES = ['word', 'sentence', 'grapheme'] as const;
const onePass = (text: string, segmenter: Intl.Segmenter) =>
  [...segmenter.segment(text)].map(({ segment, index, isWordLike }) => (isWordLike === undefined ? { segment, index } : { segment, index, isWordLike }));

// Pieces that stress the rules at a window's edge: abbreviations, decimals, quotes after a stop, CJK, emoji and combining marks.
const piece = fc.constantFrom(
  'Reset your password. ',
  'Mr. Smith paid $3.50, e.g. for tea. ',
  'He said "stop." Then left! ',
  'Did he?! ',
  '如何重置密码？',
  '请在账户页面点击“忘记密码”。',
  'パスワードを再設定してください。',
  '👩‍👩‍👧 family, ',
  'e\u0301te\u0301 ',
  '1,299.50 ',
  'snake_case ',
  '\n\n',
  '   ',
  'x',
);
const text = fc.array(piece, { maxLength: 60 }).map((pieces) => pieces.join(''));

describe('segmentInWindows', () => {
  it.each(GRANULARITIES)('gives what one %s pass gives, with windows far shorter than the text', (granularity) => {
    const segmenter = new Intl.Segmenter('en', { granularity });
    fc.assert(
      fc.property(text, fc.integer({ min: 64, max: 512 }), (t, window) => {
        const expected = onePass(t, segmenter);
        const windowed = [...segmentInWindows(t, segmenter, { window })];
        expect(windowed.map((s) => s.segment).join('')).toBe(t);
        // Only a segment longer than the part of a window that is kept may come out cut.
        if (expected.every((s) => s.segment.length < window / 2)) expect(windowed).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('starts at `from` as a pass over the rest of the text would', () => {
    const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
    const t = 'First one. Second one? Third one! '.repeat(40);
    const from = t.indexOf('Second');
    expect([...segmentInWindows(t, segmenter, { from, window: 100 })]).toEqual(onePass(t.slice(from), segmenter).map((s) => ({ ...s, index: s.index + from })));
  });

  it('cuts a segment longer than a window at the window, never inside a surrogate pair, losing nothing', () => {
    const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
    const t = `${'a'.repeat(100)}${'😀'.repeat(100)}${'b'.repeat(99)}`;
    const segments = [...segmentInWindows(t, segmenter, { window: 64 })];
    expect(segments.map((s) => s.segment).join('')).toBe(t);
    for (const s of segments) {
      expect(t.slice(s.index, s.index + s.segment.length)).toBe(s.segment);
      expect(s.segment).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
    }
  });

  it('yields lazily, so a caller that stops early segments only what it read', () => {
    const calls: number[] = [];
    const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
    const counting = { segment: (s: string) => (calls.push(s.length), segmenter.segment(s)) } as unknown as Intl.Segmenter;
    const iterator = segmentInWindows('word '.repeat(10_000), counting, { window: 256 });
    for (let i = 0; i < 5; i++) iterator.next();
    expect(calls).toEqual([256]);
  });
});
