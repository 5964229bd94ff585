import { words } from './segment-words.js';

/**
 * The one tokeniser of the offline models, so the embedder, the answerer's
 * BM25 and the keyword classifier agree on what a word is.
 */

/** Scripts written without spaces between words (plus Hangul, whose words carry particles). */
const CJK_RUN = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]+/gu;
const CJK_CHAR = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/u;

/** NFKC folds full-width forms and ligatures, so `Ｐａｓｓ` and `pass` meet. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

export function isCjk(text: string): boolean {
  return CJK_CHAR.test(text);
}

/**
 * Normalised word tokens in order: `Intl.Segmenter` words, so Chinese and
 * Japanese come out as dictionary words rather than one token per sentence.
 * Punctuation and spaces are dropped.
 */
export function tokenize(text: string): string[] {
  return words(normalizeText(text));
}

/** Maximal runs of CJK characters of the normalised text. */
export function cjkRuns(text: string): string[] {
  return normalizeText(text).match(CJK_RUN) ?? [];
}

/** Adjacent character pairs of a CJK run (none for a single character). */
export function characterBigrams(run: string): string[] {
  const chars = [...run];
  const grams: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) grams.push(`${chars[i]}${chars[i + 1]}`);
  return grams;
}

/**
 * Terms for lexical search (BM25): the word tokens plus the character
 * bigrams of CJK runs. Dictionary segmentation of Chinese splits the same
 * phrase differently in different contexts (`重置` vs `重|置`); bigrams still
 * match when the words do not.
 */
export function searchTerms(text: string): string[] {
  const terms = tokenize(text);
  // A loop, not push(...): a long run's bigrams would overflow the call stack as arguments.
  for (const run of cjkRuns(text)) for (const gram of characterBigrams(run)) terms.push(gram);
  return terms;
}
