import { fnv1a32, fnvFinish, fnvStart, fnvStep } from './fnv1a.js';
import { characterBigrams, cjkRuns, isCjk, tokenize } from './tokenize.js';

/**
 * Feature families. Each hashes with its own seed, so the word `the` and the
 * character trigram `the` are different features without building tagged
 * strings. Weights: character n-grams outnumber words roughly fifteen to
 * one, so they are damped to let whole words lead while still matching
 * inflections (`reset` / `resetting`) and typos.
 */
const FAMILIES = {
  word: { seed: 0x01, weight: 1 },
  wordBigram: { seed: 0x02, weight: 0.8 },
  charGram: { seed: 0x03, weight: 0.5 },
  cjkChar: { seed: 0x04, weight: 0.6 },
  cjkBigram: { seed: 0x05, weight: 0.8 },
} as const;

type Family = (typeof FAMILIES)[keyof typeof FAMILIES];

const MIN_GRAM = 3;
const MAX_GRAM = 5;
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Sparse features of a text as (32-bit feature hash -> weight): word
 * unigrams and bigrams, character 3-5-grams inside non-CJK words, and
 * character uni/bigrams of CJK runs. Weights are sublinear in the count
 * (1 + ln tf): a word said five times is stronger evidence than once, but
 * not five times stronger.
 */
export function hashedFeatures(text: string): Map<number, number> {
  const counts = new FeatureCounts();
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    counts.add(FAMILIES.word, hashOf(FAMILIES.word, token));
    const next = tokens[i + 1];
    if (next !== undefined) counts.add(FAMILIES.wordBigram, hashOf(FAMILIES.wordBigram, token, ' ', next));
    if (!isCjk(token)) addCharacterGrams(counts, token);
  }
  for (const run of cjkRuns(text)) {
    for (const char of run) counts.add(FAMILIES.cjkChar, hashOf(FAMILIES.cjkChar, char));
    for (const pair of characterBigrams(run)) counts.add(FAMILIES.cjkBigram, hashOf(FAMILIES.cjkBigram, pair));
  }
  return counts.weights();
}

/** Occurrences per feature hash, and the family that first produced it (its weight). */
class FeatureCounts {
  private readonly counts = new Map<number, number>();
  private readonly families = new Map<number, Family>();

  add(family: Family, hash: number): void {
    const count = this.counts.get(hash);
    if (count === undefined) {
      this.counts.set(hash, 1);
      this.families.set(hash, family);
    } else this.counts.set(hash, count + 1);
  }

  weights(): Map<number, number> {
    const weights = new Map<number, number>();
    for (const [hash, count] of this.counts) weights.set(hash, (1 + Math.log(count)) * (this.families.get(hash) as Family).weight);
    return weights;
  }
}

/** `fnv1a32` of the parts joined, without joining them. */
function hashOf(family: Family, ...parts: string[]): number {
  let h = fnvStart(family.seed);
  for (const part of parts) for (let i = 0; i < part.length; i++) h = fnvStep(h, part.charCodeAt(i));
  return fnvFinish(h);
}

const OPEN = '<'.charCodeAt(0);
const CLOSE = '>'.charCodeAt(0);

/**
 * 3- to 5-grams of the word padded with boundary marks, so prefixes and
 * suffixes are distinct features. Hashed in place for plain BMP words
 * (nearly all: no substrings built); by code point otherwise, so a gram
 * never splits a surrogate pair.
 */
function addCharacterGrams(counts: FeatureCounts, token: string): void {
  const { seed } = FAMILIES.charGram;
  if (SURROGATE.test(token)) {
    const chars = [...`<${token}>`];
    for (let n = MIN_GRAM; n <= MAX_GRAM; n++) {
      for (let i = 0; i + n <= chars.length; i++) counts.add(FAMILIES.charGram, fnv1a32(chars.slice(i, i + n).join(''), seed));
    }
    return;
  }
  const length = token.length + 2;
  const codeAt = (k: number): number => (k === 0 ? OPEN : k === length - 1 ? CLOSE : token.charCodeAt(k - 1));
  for (let n = MIN_GRAM; n <= MAX_GRAM; n++) {
    for (let i = 0; i + n <= length; i++) {
      let h = fnvStart(seed);
      for (let k = i; k < i + n; k++) h = fnvStep(h, codeAt(k));
      counts.add(FAMILIES.charGram, fnvFinish(h));
    }
  }
}
