import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS } from './corpus.test-helper.js';
import { KeywordIndex, queryTerms } from './keyword-index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-rag-bm25-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function index(): KeywordIndex {
  const kw = new KeywordIndex();
  kw.upsert(CORPUS);
  return kw;
}

describe('KeywordIndex', () => {
  it('ranks the chunk holding the query terms first, in English and Chinese', () => {
    const kw = index();
    expect(kw.search('How do I reset my password?', { k: 3 })[0]?.id).toBe('it.md#0');
    expect(kw.search('怎么重置密码', { k: 3 })[0]?.id).toBe('faq-zh.md#0');
    expect(kw.search('差旅报销', { k: 3 })[0]?.id).toBe('faq-zh.md#1');
  });

  it('tokenises Chinese into words with Intl.Segmenter plus bigrams, and drops stop words from queries', () => {
    expect(queryTerms('重置密码')).toEqual(expect.arrayContaining(['重置', '密码']));
    expect(queryTerms('what is the policy')).toEqual(['policy']);
  });

  it('applies metadata filters before ranking', () => {
    const hits = index().search('remote work 远程办公', { k: 5, filter: { lang: 'zh' } });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.metadata.lang === 'zh')).toBe(true);
    expect(() => index().search('x', { k: 1, filter: { $bogus: 1 } as never })).toThrow(/unknown logical operator/);
  });

  it('reports coverage: 1 when a chunk holds every query term, 0 for none', () => {
    const kw = index();
    const [top] = kw.search('laptops replaced', { k: 1 });
    expect(top?.coverage).toBeGreaterThan(0.9);
    expect(kw.coverage('laptops replaced', ['it.md#1', 'handbook.md#2', 'missing'])).toEqual([top?.coverage, 0, 0]);
    expect(kw.search('quantum chromodynamics', { k: 3 })).toEqual([]);
  });

  it('replaces by id and deletes', () => {
    const kw = index();
    kw.upsert([{ id: 'it.md#0', text: 'Printers are on the second floor.', metadata: { source: 'it.md' } }]);
    expect(kw.size).toBe(CORPUS.length);
    expect(kw.search('reset password', { k: 3 }).map((h) => h.id)).not.toContain('it.md#0');
    expect(kw.search('printers', { k: 1 })[0]?.id).toBe('it.md#0');
    kw.delete(['it.md#0', 'it.md#1']);
    expect(kw.size).toBe(CORPUS.length - 2);
    expect(kw.search('printers laptops', { k: 3 })).toEqual([]);
  });

  it('saves atomically and loads back to the same results', async () => {
    const kw = index();
    const path = join(dir, 'bm25.json');
    await kw.save(path);
    const loaded = await KeywordIndex.load(path);
    expect(loaded?.size).toBe(kw.size);
    for (const q of ['reset password', '远程办公', 'travel receipts']) {
      expect(loaded?.search(q, { k: 4 })).toEqual(kw.search(q, { k: 4 }));
    }
    expect(await KeywordIndex.load(join(dir, 'absent.json'))).toBeUndefined();
  });

  it('rejects a corrupt file with a hint to rebuild', async () => {
    const path = join(dir, 'corrupt.json');
    await writeFile(path, '{"format":"ferry-bm25","version":1,"k1":1.2');
    await expect(KeywordIndex.load(path)).rejects.toMatchObject({ code: 'INPUT_INVALID', hint: expect.stringMatching(/rebuild/) });
    await writeFile(path, '{"format":"other"}');
    await expect(KeywordIndex.load(path)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('rejects out-of-range parameters', () => {
    expect(() => new KeywordIndex({ b: 2 })).toThrow(/BM25 parameters out of range/);
  });
});
