import { describe, expect, it } from 'vitest';
import { characterBigrams, cjkRuns, searchTerms, tokenize } from './tokenize.js';

describe('tokenize', () => {
  it('lowercases, applies NFKC and drops punctuation', () => {
    expect(tokenize('Ｈello, WORLD! It costs 3.50 e.g. today.')).toEqual(['hello', 'world', 'it', 'costs', '3.50', 'e.g', 'today']);
  });

  it('segments Chinese and Japanese into words', () => {
    // Exact cuts vary with the ICU dictionary version, so only stable words are pinned.
    const chinese = tokenize('忘记密码怎么办');
    expect(chinese).toEqual(expect.arrayContaining(['忘记', '密码']));
    expect(chinese.join('')).toBe('忘记密码怎么办');
    expect(tokenize('東京に行きます')).toEqual(expect.arrayContaining(['東京', 'に']));
  });

  it('finds CJK runs and their character bigrams', () => {
    expect(cjkRuns('reset 密码 now 重置吧')).toEqual(['密码', '重置吧']);
    expect(characterBigrams('重置吧')).toEqual(['重置', '置吧']);
    expect(characterBigrams('码')).toEqual([]);
  });

  it('adds CJK bigrams to search terms so differently segmented text still matches', () => {
    expect(searchTerms('如何重置')).toEqual(expect.arrayContaining(['如何', '重置']));
    expect(searchTerms('Reset 密码')).toEqual(['reset', '密码', '密码']);
  });
});
