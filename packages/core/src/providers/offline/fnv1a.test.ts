import { describe, expect, it } from 'vitest';
import { fnv1a32 } from './fnv1a.js';

describe('fnv1a32', () => {
  it('gives pinned values, so embeddings stay identical across releases and platforms', () => {
    // Changing these changes every stored offline embedding: re-index on purpose only.
    expect([fnv1a32('hello'), fnv1a32('hello', 3), fnv1a32('密码'), fnv1a32('')]).toEqual([214285682, 37412456, 4267580910, 2886220781]);
  });

  it('makes seeds independent hash functions', () => {
    expect(fnv1a32('a', 1)).not.toBe(fnv1a32('b', 2));
    expect(fnv1a32('word', 1)).not.toBe(fnv1a32('word', 2));
  });

  it('returns unsigned 32-bit integers', () => {
    for (const text of ['a', 'b', 'hello world', '東京', '\u{1F600}']) {
      const hash = fnv1a32(text);
      expect(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 32).toBe(true);
    }
  });
});
