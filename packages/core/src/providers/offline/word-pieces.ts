import { segmentWords } from './segment-words.js';
import { isCjk } from './tokenize.js';

/**
 * Cuts text into word-sized pieces for streaming. A piece starts after
 * whitespace, or at each CJK word (those scripts have no spaces), and keeps
 * the punctuation and spaces that follow it, so the pieces concatenate back
 * to the exact text and a marker such as `[1]` stays whole.
 */
export function wordPieces(text: string): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const { segment, isWordLike } of segmentWords(text)) {
    const afterSpace = /\S\s+$/.test(current) && /\S/.test(segment);
    const cjkWord = isWordLike && isCjk(segment) && /[\p{L}\p{N}]/u.test(current);
    if (afterSpace || cjkWord) {
      pieces.push(current);
      current = '';
    }
    current += segment;
  }
  if (current !== '') pieces.push(current);
  return pieces;
}
