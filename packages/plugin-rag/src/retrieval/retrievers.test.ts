import { KeywordClassifier } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestKnowledgeBase, type TestKnowledgeBase } from './corpus.test-helper.js';
import { HybridRetriever } from './hybrid-retriever.js';
import { MmrRetriever } from './mmr-retriever.js';
import { reciprocalRankFusion } from './reciprocal-rank-fusion.js';
import { classifierReranker, RerankRetriever, type Reranker } from './reranker.js';
import type { RetrievedChunk } from './retriever.js';

let kb: TestKnowledgeBase;
beforeAll(async () => {
  kb = await openTestKnowledgeBase();
});
afterAll(async () => {
  await kb.close();
});

const chunk = (id: string, method: 'vector' | 'bm25', rank: number): RetrievedChunk => ({
  id,
  text: id,
  metadata: {},
  score: 1 / rank,
  method,
  ranks: { [method]: rank },
  scores: { [method]: 1 / rank },
  evidence: 0.1 * rank,
});

describe('reciprocalRankFusion', () => {
  it('sums weight / (k + rank) over the lists and keeps every rank', () => {
    const fused = reciprocalRankFusion(
      [
        [chunk('a', 'vector', 1), chunk('b', 'vector', 2)],
        [chunk('b', 'bm25', 1), chunk('c', 'bm25', 2)],
      ],
      { k: 60 },
    );
    expect(fused.map((c) => c.id)).toEqual(['b', 'a', 'c']);
    expect(fused[0]?.score).toBeCloseTo(1 / 62 + 1 / 61, 12);
    expect(fused[0]?.ranks).toEqual({ vector: 2, bm25: 1 });
    expect(fused[0]?.method).toBe('hybrid');
  });

  it('weights lists', () => {
    const lists = [[chunk('a', 'vector', 1)], [chunk('c', 'bm25', 1)]];
    expect(reciprocalRankFusion(lists, { weights: [1, 2] })[0]?.id).toBe('c');
    expect(reciprocalRankFusion(lists, { weights: [2, 1] })[0]?.id).toBe('a');
  });
});

describe('VectorRetriever and Bm25Retriever', () => {
  it('return chunks best first with their method rank, score and evidence', async () => {
    const dense = await kb.vector.retrieve('How do I reset my password?', { k: 3 });
    expect(dense[0]?.id).toBe('it.md#0');
    expect(dense.map((c) => c.ranks.vector)).toEqual([1, 2, 3]);
    expect(dense[0]?.evidence).toBeCloseTo(dense[0]?.scores.vector ?? NaN, 6);
    const lexical = await kb.bm25.retrieve('忘记密码', { k: 2 });
    expect(lexical[0]?.id).toBe('faq-zh.md#0');
    expect(lexical[0]?.evidence).toBeGreaterThan(0.9);
  });

  it('pass metadata filters to the store', async () => {
    const hits = await kb.vector.retrieve('remote work', { k: 5, filter: { source: 'faq-zh.md' } });
    expect(hits.length).toBe(3);
    expect(hits.every((h) => h.metadata.source === 'faq-zh.md')).toBe(true);
  });

  it('reject an empty query and a bad k', async () => {
    await expect(kb.bm25.retrieve('  ')).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'query' });
    await expect(kb.vector.retrieve('x', { k: 0 })).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'k' });
  });
});

describe('HybridRetriever', () => {
  it('fuses both lists, reports both ranks and lexical evidence for every chunk', async () => {
    const hybrid = new HybridRetriever({ vector: kb.vector, keyword: kb.bm25 });
    const hits = await hybrid.retrieve('How many days per week can employees work remotely?', { k: 3 });
    expect(hits[0]?.id).toBe('handbook.md#0');
    expect(hits[0]?.ranks.vector).toBeDefined();
    expect(hits[0]?.ranks.bm25).toBeDefined();
    expect(hits[0]?.method).toBe('hybrid');
    expect(hits.map((h) => h.evidence)).toEqual(kb.keywords.coverage('How many days per week can employees work remotely?', hits.map((h) => h.id)));
  });

  it('applies the filter on both sides', async () => {
    const hybrid = new HybridRetriever({ vector: kb.vector, keyword: kb.bm25 });
    const hits = await hybrid.retrieve('remote work 远程办公', { k: 4, filter: { lang: 'zh' } });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.metadata.lang === 'zh')).toBe(true);
  });

  it('rejects weights that are both zero', () => {
    expect(() => new HybridRetriever({ vector: kb.vector, keyword: kb.bm25, weights: { vector: 0, bm25: 0 } })).toThrow(/hybrid weights/);
  });
});

describe('MmrRetriever', () => {
  it('skips near-duplicates that plain ranking would return together', async () => {
    const dup = await openTestKnowledgeBase([
      { id: 'a#0', text: 'Password reset: open the account page and choose forgot password.', metadata: { source: 'a' } },
      { id: 'a#1', text: 'Password reset: open the account page and choose forgot password!', metadata: { source: 'a' } },
      { id: 'b#0', text: 'Password reset links expire after one hour, request a new reset link.', metadata: { source: 'b' } },
      { id: 'c#0', text: 'The cafeteria serves lunch from noon.', metadata: { source: 'c' } },
    ]);
    try {
      const plain = await dup.vector.retrieve('password reset account page', { k: 2 });
      expect(plain.map((c) => c.id).sort()).toEqual(['a#0', 'a#1']);
      const mmr = new MmrRetriever(dup.vector, dup.embedder, { collection: dup.collection, lambda: 0.5 });
      const diverse = await mmr.retrieve('password reset account page', { k: 2 });
      expect(diverse.map((c) => c.metadata.source)).toEqual(['a', 'b']);
    } finally {
      await dup.close();
    }
  });
});

describe('RerankRetriever', () => {
  it('reorders candidates by a reranker and records the rerank rank', async () => {
    // Prefers Chinese passages: a real (if simple) scoring function behind the Reranker interface.
    const cjkShare: Reranker = {
      name: 'cjk-share',
      rerank: async (_q, passages) => passages.map((p) => (p.match(/\p{scx=Han}/gu)?.length ?? 0) / p.length),
    };
    const hits = await new RerankRetriever(kb.bm25, cjkShare, 10).retrieve('password 密码', { k: 2 });
    expect(hits[0]?.id).toBe('faq-zh.md#0');
    expect(hits[0]?.ranks.rerank).toBe(1);
    expect(hits[0]?.method).toBe('rerank');
  });

  it('uses a Classifier as a cross-encoder through classifierReranker', async () => {
    const classifier = new KeywordClassifier({ rules: { relevant: ['receipts', 'reimbursed'] }, fallback: 'irrelevant' });
    const reranker = classifierReranker(classifier, { label: 'relevant' });
    const hits = await new RerankRetriever(kb.vector, reranker, 9).retrieve('travel costs', { k: 1 });
    expect(hits[0]?.id).toBe('expenses.md#0');
    expect(() => classifierReranker(classifier)).toThrow(/needs the classifier label/);
  });
});
