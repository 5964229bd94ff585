import { describe, expect, it } from 'vitest';
import { wordPieces } from './word-pieces.js';

describe('wordPieces', () => {
  it('splits after spaces, keeps markers whole, and concatenates back exactly', () => {
    const text = 'Hello, world. [1] Next one! [2]';
    expect(wordPieces(text)).toEqual(['Hello, ', 'world. ', '[1] ', 'Next ', 'one! ', '[2]']);
    expect(wordPieces(text).join('')).toBe(text);
  });

  it('streams CJK word by word', () => {
    const text = '东京是日本的首都。 [1]';
    expect(wordPieces(text)).toEqual(['东京', '是', '日本', '的', '首都。 ', '[1]']);
  });

  it('yields nothing for empty text', () => {
    expect(wordPieces('')).toEqual([]);
  });
});
