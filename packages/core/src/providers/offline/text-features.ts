import { fnv1a32 } from './fnv1a.js';
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
  const counts = new Map<number, { family: Family; count: number }>();
  const add = (family: Family, feature: string): void => {
    const hash = fnv1a32(feature, family.seed);
    const entry = counts.get(hash);
    if (entry) entry.count++;
    else counts.set(hash, { family, count: 1 });
  };

  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    add(FAMILIES.word, token);
    const next = tokens[i + 1];
    if (next !== undefined) add(FAMILIES.wordBigram, `${token} ${next}`);
    if (!isCjk(token)) for (const gram of characterGrams(token)) add(FAMILIES.charGram, gram);
  }
  for (const run of cjkRuns(text)) {
    for (const char of run) add(FAMILIES.cjkChar, char);
    for (const pair of characterBigrams(run)) add(FAMILIES.cjkBigram, pair);
  }

  const weights = new Map<number, number>();
  for (const [hash, { family, count }] of counts) weights.set(hash, (1 + Math.log(count)) * family.weight);
  return weights;
}

/** 3- to 5-grams of the word padded with boundary marks, so prefixes and suffixes are distinct features. */
function characterGrams(token: string): string[] {
  const padded = `<${token}>`;
  // Code points, not UTF-16 units, so a gram never splits a surrogate pair;
  // plain BMP words (nearly all) skip the array copy.
  const chars = SURROGATE.test(padded) ? [...padded] : undefined;
  const length = chars ? chars.length : padded.length;
  const grams: string[] = [];
  for (let n = MIN_GRAM; n <= MAX_GRAM; n++) {
    for (let i = 0; i + n <= length; i++) grams.push(chars ? chars.slice(i, i + n).join('') : padded.slice(i, i + n));
  }
  return grams;
}
