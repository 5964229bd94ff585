// Retrieval quality of @ferry/plugin-rag on XQuAD (SQuAD v1.1 format):
// chunks = paragraphs, queries = questions, the question's paragraph = the
// one relevant chunk. hit@1, hit@5 and MRR@10 for vector, BM25 and hybrid
// (reciprocal-rank fusion) with the offline hashing embedder, plus a sweep of
// fusion settings (RRF k, weights, candidate depth), and the same with a
// transformers embedder when RAG_BENCH_EMBEDDER names a local ONNX model
// folder. Then calibrates the "I don't know" threshold: the paragraphs of
// half the articles are indexed, and questions about the other half are
// unanswerable. Data: ../shared/data/qa/xquad.<lang>.json for each language
// present (RAG_BENCH_LANGS, default en,zh). Writes bench/results/rag-quality.json.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HashingEmbedder } from '@ferry/core';
import { Bm25Retriever, HybridRetriever, KeywordIndex, VectorRetriever } from '../../packages/plugin-rag/dist/retrieval/index.js';
import { openEmbeddedStore } from '../../packages/plugin-rag/dist/stores/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const DATA = join(root, '..', 'shared', 'data', 'qa');
const LANGS = (process.env.RAG_BENCH_LANGS ?? 'en,zh').split(',');
const MODEL_DIR = process.env.RAG_BENCH_EMBEDDER;
const DEPTH = 10;

const log = (...args) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...args);

function loadXquad(path) {
  const json = JSON.parse(readFileSync(path, 'utf8'));
  const chunks = [];
  const questions = [];
  json.data.forEach((article, a) => {
    article.paragraphs.forEach((p, i) => {
      const id = `${article.title}#${i}`;
      chunks.push({ id, text: p.context, article: a, metadata: { source: article.title, title: article.title, chunkIndex: i } });
      for (const qa of p.qas) questions.push({ question: qa.question, relevant: id, article: a, answer: qa.answers[0].text });
    });
  });
  return { chunks, questions, articles: json.data.length };
}

async function buildIndexes(chunks, embedder, dir) {
  const store = await openEmbeddedStore(dir);
  const vectors = [];
  for (let i = 0; i < chunks.length; i += 64) vectors.push(...(await embedder.embed(chunks.slice(i, i + 64).map((c) => c.text))));
  const collection = await store.collection('xquad', { dims: vectors[0].length });
  await collection.upsert(chunks.map((c, i) => ({ id: c.id, vector: vectors[i], text: c.text, metadata: c.metadata })));
  const keywords = new KeywordIndex();
  keywords.upsert(chunks);
  return { store, collection, keywords };
}

/** hit@1, hit@5, MRR@10 of a retriever over the questions. */
async function score(retriever, questions) {
  let hit1 = 0;
  let hit5 = 0;
  let rr = 0;
  const ranks = [];
  for (const q of questions) {
    const ids = (await retriever.retrieve(q.question, { k: DEPTH })).map((c) => c.id);
    const rank = ids.indexOf(q.relevant) + 1;
    ranks.push(rank);
    if (rank === 1) hit1++;
    if (rank >= 1 && rank <= 5) hit5++;
    if (rank >= 1) rr += 1 / rank;
  }
  const n = questions.length;
  return { hit1: hit1 / n, hit5: hit5 / n, mrr: rr / n, ranks };
}

const fmt = (x) => x.toFixed(3);

/** The sweep asks each question dozens of times: embed each text once. */
function memoised(embedder) {
  const cache = new Map();
  return {
    metadata: embedder.metadata,
    async embed(texts, options) {
      const missing = [...new Set(texts.filter((t) => !cache.has(t)))];
      if (missing.length > 0) (await embedder.embed(missing, options)).forEach((v, i) => cache.set(missing[i], v));
      return texts.map((t) => cache.get(t));
    },
  };
}

async function qualityFor(lang, data, embedder, label) {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-rag-quality-'));
  try {
    const t0 = performance.now();
    const { store, collection, keywords } = await buildIndexes(data.chunks, embedder, dir);
    log(`${lang}/${label}: indexed ${data.chunks.length} paragraphs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const vector = new VectorRetriever(collection, embedder);
    const bm25 = new Bm25Retriever(keywords);
    const rows = [];
    const ranksOf = {};
    const add = async (name, retriever, settings = {}) => {
      const { ranks, ...m } = await score(retriever, data.questions);
      ranksOf[name] = ranks;
      rows.push({ name, ...settings, ...m });
      log(`${lang}/${label} ${name.padEnd(34)} hit@1 ${fmt(m.hit1)}  hit@5 ${fmt(m.hit5)}  MRR ${fmt(m.mrr)}`);
    };
    await add('vector', vector);
    await add('bm25', bm25);
    // What fusion could gain: the questions BM25 misses at hit@5 that the vector side has in its top 5.
    const top5 = (r) => r >= 1 && r <= 5;
    const bm25Misses = ranksOf.bm25.filter((r) => !top5(r)).length;
    const rescuable = ranksOf.bm25.filter((r, i) => !top5(r) && top5(ranksOf.vector[i])).length;
    const complement = { bm25MissesAt5: bm25Misses, ofThoseVectorTop5: rescuable, vectorMissesAt5: ranksOf.vector.filter((r) => !top5(r)).length };
    log(`${lang}/${label} complementarity: ${JSON.stringify(complement)}`);
    await add('hybrid (RRF k=60, 1:1, 50 each)', new HybridRetriever({ vector, keyword: bm25 }), { rrfK: 60, weights: [1, 1], candidates: 50 });
    // The sweep: how much the fusion settings matter.
    for (const rrfK of [10, 30, 60, 100]) {
      for (const [wv, wb] of [[1, 1], [1, 2], [2, 1]]) {
        for (const candidates of [10, 20, 50]) {
          if (rrfK === 60 && wv === 1 && wb === 1 && candidates === 50) continue;
          await add(`hybrid (k=${rrfK}, ${wv}:${wb}, ${candidates} each)`, new HybridRetriever({ vector, keyword: bm25, rrfK, weights: { vector: wv, bm25: wb }, candidates }), {
            rrfK,
            weights: [wv, wb],
            candidates,
          });
        }
      }
    }
    await store.close();
    return { rows, complement };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Best-chunk evidence (hybrid) for answerable questions (their article indexed)
 * and unanswerable ones (their article held out), and the threshold with the best balanced accuracy.
 */
async function calibrate(lang, data, embedder) {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-rag-calibrate-'));
  try {
    const indexed = new Set();
    for (let a = 0; a < data.articles; a += 2) indexed.add(a);
    const { store, collection, keywords } = await buildIndexes(data.chunks.filter((c) => indexed.has(c.article)), embedder, dir);
    const hybrid = new HybridRetriever({ vector: new VectorRetriever(collection, embedder), keyword: new Bm25Retriever(keywords) });
    const samples = [];
    for (const q of data.questions) {
      const [best] = await hybrid.retrieve(q.question, { k: 1 });
      samples.push({ answerable: indexed.has(q.article), evidence: best?.evidence ?? 0 });
    }
    await store.close();
    const pos = samples.filter((s) => s.answerable);
    const neg = samples.filter((s) => !s.answerable);
    let best = { threshold: 0, balancedAccuracy: 0 };
    for (let t = 0; t <= 1.0001; t += 0.01) {
      const tpr = pos.filter((s) => s.evidence >= t).length / pos.length;
      const tnr = neg.filter((s) => s.evidence < t).length / neg.length;
      const balancedAccuracy = (tpr + tnr) / 2;
      if (balancedAccuracy > best.balancedAccuracy) best = { threshold: Number(t.toFixed(2)), balancedAccuracy, answeredWhenAnswerable: tpr, refusedWhenUnanswerable: tnr };
    }
    const median = (xs) => xs.map((s) => s.evidence).sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const result = { answerable: pos.length, unanswerable: neg.length, medianEvidenceAnswerable: median(pos), medianEvidenceUnanswerable: median(neg), ...best };
    log(`${lang} "I don't know" calibration: ${JSON.stringify(result)}`);
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const results = { date: new Date().toISOString(), node: process.version, depth: DEPTH, datasets: {} };
// 384 dims is the apps' default; at 4096 the hashed features collide far less,
// and the vector side starts to add what BM25 misses.
const embedders = [
  { label: 'offline:hash-384', embedder: new HashingEmbedder(384) },
  { label: 'offline:hash-4096', embedder: new HashingEmbedder(4096) },
];
if (MODEL_DIR) {
  const { createTransformersProvider } = await import('../../packages/provider-transformers/dist/index.js');
  const provider = createTransformersProvider({});
  embedders.push({ label: `transformers:${MODEL_DIR}`, embedder: await provider.create('embedding', MODEL_DIR) });
}
for (const lang of LANGS) {
  const path = join(DATA, `xquad.${lang}.json`);
  if (!existsSync(path)) {
    log(`${path} not present: skipping ${lang}`);
    continue;
  }
  const data = loadXquad(path);
  const entry = { path, paragraphs: data.chunks.length, questions: data.questions.length, embedders: {} };
  for (const { label, embedder: base } of embedders) {
    const embedder = memoised(base);
    const { rows, complement } = await qualityFor(lang, data, embedder, label);
    entry.embedders[label] = { rows, complement, calibration: await calibrate(lang, data, embedder) };
  }
  results.datasets[lang] = entry;
}
for (const { embedder } of embedders) await embedder.dispose?.();

const out = join(root, 'bench', 'results', 'rag-quality.json');
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
for (const [lang, entry] of Object.entries(results.datasets)) {
  for (const [label, { rows, calibration }] of Object.entries(entry.embedders)) {
    console.log(`\n### XQuAD-${lang}, ${entry.paragraphs} paragraphs, ${entry.questions} questions, ${label}\n`);
    console.log('| retriever | hit@1 | hit@5 | MRR@10 |\n| --- | --- | --- | --- |');
    const top = [...rows.slice(3)].sort((a, b) => b.hit5 - a.hit5 || b.mrr - a.mrr).slice(0, 3);
    for (const r of [...rows.slice(0, 3), ...top]) console.log(`| ${r.name} | ${fmt(r.hit1)} | ${fmt(r.hit5)} | ${fmt(r.mrr)} |`);
    console.log(`\n"I don't know" threshold ${calibration.threshold}: answers ${fmt(calibration.answeredWhenAnswerable)} of answerable, refuses ${fmt(calibration.refusedWhenUnanswerable)} of unanswerable`);
  }
}
console.log(`\nwrote ${out}`);
