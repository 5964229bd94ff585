import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerer } from '../answer/answerer.js';
import { HybridRetriever } from '../retrieval/hybrid-retriever.js';
import { openTestKnowledgeBase, type TestKnowledgeBase } from '../retrieval/corpus.test-helper.js';
import { evaluateRetrieval, formatEvaluation } from './evaluate-retrieval.js';
import { loadQaFile } from './qa-item.js';

let kb: TestKnowledgeBase;
let dir: string;
beforeAll(async () => {
  kb = await openTestKnowledgeBase();
  dir = await mkdtemp(join(tmpdir(), 'ferry-rag-eval-'));
});
afterAll(async () => {
  await kb.close();
  await rm(dir, { recursive: true, force: true });
});

const QA = [
  { question: 'How do I reset my password?', relevant: ['it.md#0'], answers: ['Forgot password'] },
  { question: 'How soon are travel expenses reimbursed?', relevant: ['expenses.md'], answer: '14 days' },
  { question: '员工每周可以远程办公几天？', relevant: ['faq-zh.md#2'], answers: ['三天'] },
  { question: 'Who won the football world cup in 1954?', unanswerable: true },
  { question: 'What is the boiling point of mercury?', unanswerable: true },
];

describe('evaluateRetrieval', () => {
  it('reports hit@k and MRR by chunk id or source', async () => {
    const e = await evaluateRetrieval(QA, { retriever: kb.bm25, ks: [1, 5] });
    expect(e).toMatchObject({ questions: 5, withRelevant: 3, hitAt: { '1': 1, '5': 1 }, mrr: 1 });
    expect(e.answerContainsRate).toBeUndefined();
  });

  it('scores answers: contains rate and "don\'t know" precision and recall', async () => {
    const retriever = new HybridRetriever({ vector: kb.vector, keyword: kb.bm25 });
    const answerer = await createAnswerer({ retriever, usePromptPlugin: false });
    const e = await evaluateRetrieval(QA, { retriever, answerer });
    expect(e.answerContainsRate).toBe(1);
    expect(e.answeredRate).toBe(1);
    expect(e.dontKnowPrecision).toBe(1);
    expect(e.dontKnowRecall).toBe(1);
    expect(formatEvaluation(e)).toMatch(/"don't know" precision 100\.0%/);
  });

  it('counts a miss as rank null', async () => {
    const e = await evaluateRetrieval([{ question: 'reset password', relevant: ['expenses.md#0'] }], { retriever: kb.bm25, ks: [1] });
    expect(e.results[0]?.rank).toBeNull();
    expect(e.hitAt['1']).toBe(0);
  });
});

describe('loadQaFile', () => {
  it('reads jsonl and json arrays', async () => {
    const jsonl = join(dir, 'qa.jsonl');
    await writeFile(jsonl, `${QA.map((q) => JSON.stringify(q)).join('\n')}\n\n`);
    expect(await loadQaFile(jsonl)).toHaveLength(5);
    const json = join(dir, 'qa.json');
    await writeFile(json, JSON.stringify(QA));
    expect((await loadQaFile(json))[1]?.answers).toEqual(['14 days']);
  });

  it('names the bad line and field', async () => {
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, '{"question": "ok?", "unanswerable": true}\n{"question": "x"\n');
    await expect(loadQaFile(bad)).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'line 2' });
    await writeFile(bad, '{"question": "no gold"}\n');
    await expect(loadQaFile(bad)).rejects.toMatchObject({ code: 'INPUT_INVALID', field: '[0].relevant' });
  });
});
