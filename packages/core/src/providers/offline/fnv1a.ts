const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * 32-bit FNV-1a over the UTF-16 code units of `text`, finished with
 * murmur3's avalanche mix. Feature hashing needs a hash that is identical on
 * every platform and run (unlike anything seeded per process), and the mix
 * spreads FNV's weak high bits so the sign bit and the bucket are unrelated.
 * `seed` gives independent hash functions (one per feature family).
 * Not bit-compatible with plain FNV-1a, which has no seed.
 */
export function fnv1a32(text: string, seed = 0): number {
  let h = fnvStart(seed);
  for (let i = 0; i < text.length; i++) h = fnvStep(h, text.charCodeAt(i));
  return fnvFinish(h);
}

/**
 * `fnv1a32` in parts, for hashing text that is never built as a string
 * (n-grams, word pairs): start, one step per UTF-16 unit, finish.
 * Mixing the seed into the start state (not just XOR-ing it) keeps seeds
 * from cancelling against the first character: seed 1 + "a" != seed 2 + "b".
 */
export function fnvStart(seed: number): number {
  return fmix32(FNV_OFFSET ^ seed);
}

/** One step per UTF-16 unit rather than per byte: half the work, and the final mix restores the avalanche that wider input symbols weaken. */
export function fnvStep(h: number, code: number): number {
  return Math.imul(h ^ code, FNV_PRIME);
}

export function fnvFinish(h: number): number {
  return fmix32(h);
}

function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
