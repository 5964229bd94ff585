import { isFerryError } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { extractJson } from './extract-json.js';

function failure(text: string): Error {
  try {
    extractJson(text);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected extractJson to throw');
}

describe('extractJson', () => {
  it('returns valid JSON untouched, scalars included', () => {
    expect(extractJson('{"a":1}')).toEqual({ value: { a: 1 }, repaired: [] });
    expect(extractJson(' 42 ')).toEqual({ value: 42, repaired: [] });
  });

  it('takes a json-labelled fence before other fences', () => {
    const text = 'Example:\n```\n{"x": 0}\n```\nAnswer:\n```json\n{"x": 1}\n```\nDone.';
    expect(extractJson(text).value).toEqual({ x: 1 });
  });

  it('takes an unlabelled fence, and a fence the model never closed', () => {
    expect(extractJson('```\n[1, 2]\n```').value).toEqual([1, 2]);
    expect(extractJson('```json\n{"ok": true}').value).toEqual({ ok: true });
  });

  it('finds the value amid prose before and after', () => {
    const text = 'Sure! Here is the result you asked for: {"name": "Ada", "tags": ["x"]} Let me know if you need more.';
    expect(extractJson(text)).toEqual({ value: { name: 'Ada', tags: ['x'] }, repaired: [] });
  });

  it('skips bracketed prose that is not JSON', () => {
    const text = 'Options [a] and [b] were considered; final: {"choice": "b"}';
    expect(extractJson(text).value).toEqual({ choice: 'b' });
  });

  it('reads a top-level array', () => {
    expect(extractJson('The list:\n[{"id": 1}, {"id": 2}]\nThanks').value).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('ignores braces and quotes inside strings when matching', () => {
    const text = 'Result: {"code": "if (x) { return \\"}\\"; }", "note": "a ] b"} trailing {prose}';
    expect(extractJson(text).value).toEqual({ code: 'if (x) { return "}"; }', note: 'a ] b' });
  });

  it('removes trailing commas', () => {
    const result = extractJson('{"a": [1, 2, 3,], "b": 2,}');
    expect(result.value).toEqual({ a: [1, 2, 3], b: 2 });
    expect(result.repaired).toEqual(['removed trailing commas']);
  });

  it('converts single-quoted strings, keeping apostrophes and escaped quotes', () => {
    const result = extractJson("{'name': 'it's fine', 'quote': 'say \"hi\"', 'esc': 'don\\'t'}");
    expect(result.value).toEqual({ name: "it's fine", quote: 'say "hi"', esc: "don't" });
    expect(result.repaired).toContain('converted single-quoted strings to double quotes');
  });

  it('replaces smart quotes', () => {
    const result = extractJson('{\u201cname\u201d: \u201cAda\u201d}');
    expect(result.value).toEqual({ name: 'Ada' });
    expect(result.repaired).toEqual(['replaced smart quotes with straight quotes']);
  });

  it('removes // and /* */ comments, but not // inside strings', () => {
    const text = '{\n  // the user\n  "url": "https://example.com", /* why */ "n": 1 // count\n}';
    const result = extractJson(text);
    expect(result.value).toEqual({ url: 'https://example.com', n: 1 });
    expect(result.repaired).toEqual(['removed comments']);
  });

  it('quotes bare keys and converts Python literals, without touching values', () => {
    const result = extractJson('{name: "x", is_ok: True, other: None, list: [true, null]}');
    expect(result.value).toEqual({ name: 'x', is_ok: true, other: null, list: [true, null] });
    expect(result.repaired).toEqual(['quoted bare keys', 'converted Python literals (True, False, None)']);
  });

  it('escapes raw line breaks inside strings', () => {
    expect(extractJson('{"text": "line one\nline two"}')).toEqual({
      value: { text: 'line one\nline two' },
      repaired: ['escaped raw line breaks and tabs inside strings'],
    });
  });

  it('combines several repairs in one reply', () => {
    const text = "```json\n{\n  title: 'Plan', // short\n  steps: ['a', 'b',],\n}\n```";
    const result = extractJson(text);
    expect(result.value).toEqual({ title: 'Plan', steps: ['a', 'b'] });
    expect(result.repaired).toEqual(
      expect.arrayContaining(['quoted bare keys', 'converted single-quoted strings to double quotes', 'removed comments', 'removed trailing commas']),
    );
  });

  it('says when the reply holds no JSON', () => {
    const error = failure('I am sorry, I cannot help with that.');
    expect(isFerryError(error, 'PROVIDER_BAD_RESPONSE')).toBe(true);
    expect(error.message).toContain('contains no JSON object or array');
  });

  it('says when the JSON is cut off, and suggests more tokens', () => {
    const error = failure('{"items": [{"id": 1}, {"id": 2');
    expect(isFerryError(error, 'PROVIDER_BAD_RESPONSE')).toBe(true);
    expect(error.message).toContain('cut off: 3 bracket(s) never closed');
    expect(error.message).toContain('maxTokens');
  });

  it('says when the JSON stays malformed after repair', () => {
    const error = failure('{"a": 1 "b": 2}');
    expect(error.message).toContain('malformed even after repair');
  });

  it('rejects empty text and non-strings', () => {
    expect(isFerryError(failure('  \n'), 'PROVIDER_BAD_RESPONSE')).toBe(true);
    expect(isFerryError(failure(undefined as unknown as string), 'INPUT_INVALID')).toBe(true);
  });
});
