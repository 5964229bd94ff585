import { describe, expect, it } from 'vitest';
import { segmentWords } from './segment-words.js';

const whole = (text: string) => [...new Intl.Segmenter('en', { granularity: 'word' }).segment(text)].map(({ segment, index, isWordLike }) => ({ segment, index, isWordLike: isWordLike === true }));

describe('segmentWords', () => {
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
