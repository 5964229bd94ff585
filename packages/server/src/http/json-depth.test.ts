import { describe, expect, it } from 'vitest';
import { jsonDepth } from './json-depth.js';

describe('jsonDepth', () => {
  it('counts object and array nesting, ignoring brackets inside strings', () => {
    expect(jsonDepth('{"a":[1,{"b":"[[[{{{"}]}', 10)).toBe(3);
    expect(jsonDepth('"\\"[["', 10)).toBe(0);
  });

  it('stops as soon as the limit is passed', () => {
    expect(jsonDepth('['.repeat(100_000), 64)).toBe(65);
  });
});
