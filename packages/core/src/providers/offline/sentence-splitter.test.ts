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
});
