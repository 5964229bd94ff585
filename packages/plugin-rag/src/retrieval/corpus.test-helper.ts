import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HashingEmbedder } from '@ferry/core';
import { openEmbeddedStore } from '../stores/embedded-store.js';
import type { VectorCollection, VectorStore } from '../stores/vector-store.js';
import { Bm25Retriever } from './bm25-retriever.js';
import { KeywordIndex, type KeywordDocument } from './keyword-index.js';
import { VectorRetriever } from './vector-retriever.js';

/** A small bilingual knowledge base: handbook pages in English, an FAQ in Chinese. */
export const CORPUS: KeywordDocument[] = [
  ['handbook.md#0', 'handbook.md', 'Employees may work remotely up to three days per week with manager approval.'],
  ['handbook.md#1', 'handbook.md', 'Remote work from abroad requires approval from HR at least 30 days in advance.'],
  ['handbook.md#2', 'handbook.md', 'The office opens at 8 am and closes at 7 pm on weekdays.'],
  ['it.md#0', 'it.md', 'To reset your password, open the account page and choose "Forgot password".'],
  ['it.md#1', 'it.md', 'Laptops are replaced every three years; request a new one through the IT portal.'],
  ['expenses.md#0', 'expenses.md', 'Travel expenses are reimbursed within 14 days when submitted with receipts.'],
  ['faq-zh.md#0', 'faq-zh.md', '如何重置密码？请打开账户页面，点击“忘记密码”，然后按照邮件中的说明操作。'],
  ['faq-zh.md#1', 'faq-zh.md', '报销差旅费用需要在出差结束后十四天内提交发票。'],
  ['faq-zh.md#2', 'faq-zh.md', '员工每周最多可以远程办公三天，需要经理批准。'],
].map(([id, source, text], i) => ({ id: id as string, text: text as string, metadata: { source: source as string, chunkIndex: i, lang: (source as string).includes('zh') ? 'zh' : 'en' } }));

export interface TestKnowledgeBase {
  store: VectorStore;
  collection: VectorCollection;
  keywords: KeywordIndex;
  embedder: HashingEmbedder;
  vector: VectorRetriever;
  bm25: Bm25Retriever;
  dir: string;
  close(): Promise<void>;
}

export async function openTestKnowledgeBase(documents: KeywordDocument[] = CORPUS): Promise<TestKnowledgeBase> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-rag-retrieval-'));
  const store = await openEmbeddedStore(join(dir, 'store'));
  const embedder = new HashingEmbedder(384);
  const collection = await store.collection('kb-test', { dims: 384 });
  const vectors = await embedder.embed(documents.map((d) => d.text));
  await collection.upsert(documents.map((d, i) => ({ ...d, vector: vectors[i] as Float32Array })));
  const keywords = new KeywordIndex();
  keywords.upsert(documents);
  return {
    store,
    collection,
    keywords,
    embedder,
    vector: new VectorRetriever(collection, embedder),
    bm25: new Bm25Retriever(keywords),
    dir,
    close: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
