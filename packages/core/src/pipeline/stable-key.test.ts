import { describe, expect, it } from 'vitest';
import { stableKey } from './stable-key.js';

describe('stableKey', () => {
  it('ignores key order at every depth but keeps array order', () => {
    expect(stableKey({ b: 1, a: { d: [2, 1], c: null } })).toBe(stableKey({ a: { c: null, d: [2, 1] }, b: 1 }));
    expect(stableKey([1, 2])).not.toBe(stableKey([2, 1]));
  });

  it('serialises what JSON cannot', () => {
    expect(stableKey(undefined)).toBe('undefined');
    expect(stableKey({ n: 10n })).toBe('{"n":"10n"}');
    expect(stableKey(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
  });
});
