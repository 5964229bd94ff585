import { fnvFinish, fnvStart, fnvStep } from './fnv1a.js';
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

/** Sparse features of a text: parallel arrays, in order of first appearance. */
export interface HashedFeatures {
  readonly hashes: Uint32Array;
  readonly weights: Float64Array;
}

/**
 * Sparse features of a text as (32-bit feature hash, weight) pairs: word
 * unigrams and bigrams, character 3-5-grams inside non-CJK words, and
 * character uni/bigrams of CJK runs. Weights are sublinear in the count
 * (1 + ln tf): a word said five times is stronger evidence than once, but
 * not five times stronger. A hash two families share keeps the weight of the
 * family that produced it first.
 */
export function hashedFeatures(text: string): HashedFeatures {
  const counts = scratch;
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
  return counts.take();
}

/**
 * Occurrences per feature hash in an open-addressing table of typed arrays,
 * reused from text to text (`hashedFeatures` runs to completion, so one
 * table serves every call): a Map per text was a tenth of a knowledge-base
 * request, most of it garbage.
 */
class FeatureCounts {
  private keys = new Uint32Array(1024);
  /** 0 marks an empty slot. */
  private counts = new Uint32Array(1024);
  /** The weight of the family that produced each slot's hash first. */
  private familyWeights = new Float64Array(1024);
  /** Occupied slots in order of first appearance. */
  private order = new Int32Array(512);
  private size = 0;

  add(family: Family, hash: number): void {
    const mask = this.keys.length - 1;
    let slot = hash & mask;
    while (this.counts[slot] !== 0 && this.keys[slot] !== hash) slot = (slot + 1) & mask;
    if (this.counts[slot] !== 0) {
      this.counts[slot] = (this.counts[slot] as number) + 1;
      return;
    }
    this.keys[slot] = hash;
    this.counts[slot] = 1;
    this.familyWeights[slot] = family.weight;
    this.order[this.size++] = slot;
    if (this.size === this.order.length) this.grow();
  }

  /** The features counted since the last take, weighted; the table is empty again after. */
  take(): HashedFeatures {
    const hashes = new Uint32Array(this.size);
    const weights = new Float64Array(this.size);
    for (let k = 0; k < this.size; k++) {
      const slot = this.order[k] as number;
      hashes[k] = this.keys[slot] as number;
      weights[k] = (1 + Math.log(this.counts[slot] as number)) * (this.familyWeights[slot] as number);
      this.counts[slot] = 0;
    }
    this.size = 0;
    return { hashes, weights };
  }

  /** Twice the slots, entries re-placed in their order, so the table stays at most half full. */
  private grow(): void {
    const { keys, counts, familyWeights, order, size } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.counts = new Uint32Array(keys.length * 2);
    this.familyWeights = new Float64Array(keys.length * 2);
    this.order = new Int32Array(order.length * 2);
    const mask = this.keys.length - 1;
    for (let k = 0; k < size; k++) {
      const old = order[k] as number;
      let slot = (keys[old] as number) & mask;
      while (this.counts[slot] !== 0) slot = (slot + 1) & mask;
      this.keys[slot] = keys[old] as number;
      this.counts[slot] = counts[old] as number;
      this.familyWeights[slot] = familyWeights[old] as number;
      this.order[k] = slot;
    }
  }
}

const scratch = new FeatureCounts();

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
  if (SURROGATE.test(token)) {
    const chars = [...`<${token}>`];
    for (let n = MIN_GRAM; n <= MAX_GRAM; n++) {
      for (let i = 0; i + n <= chars.length; i++) counts.add(FAMILIES.charGram, hashOf(FAMILIES.charGram, ...chars.slice(i, i + n)));
    }
    return;
  }
  const length = token.length + 2;
  const codeAt = (k: number): number => (k === 0 ? OPEN : k === length - 1 ? CLOSE : token.charCodeAt(k - 1));
  for (let n = MIN_GRAM; n <= MAX_GRAM; n++) {
    for (let i = 0; i + n <= length; i++) {
      let h = fnvStart(FAMILIES.charGram.seed);
      for (let k = i; k < i + n; k++) h = fnvStep(h, codeAt(k));
      counts.add(FAMILIES.charGram, fnvFinish(h));
    }
  }
}
