import { createOfflineProvider, isFerryError, type EmbedOptions, type Embedder } from '@ferry/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBanking77 } from '@ferry/core/testing';
import { createExampleSelector, selectExamples, type ExampleSelector } from './example-selector.js';
import { dot, unitVector } from './unit-vector.js';

type Row = { text: string; label: string };

/** Counts the texts it embeds, to show the examples are embedded once. */
class CountingEmbedder implements Embedder {
  readonly calls: number[] = [];
  constructor(private readonly inner: Embedder) {}
  get metadata() {
    return this.inner.metadata;
  }
  embed(texts: string[], options?: EmbedOptions): Promise<Float32Array[]> {
    this.calls.push(texts.length);
    return this.inner.embed(texts, options);
  }
}

let embedder: Embedder;
let queries: Row[];
let pool: Row[];
let selector: ExampleSelector<Row>;

beforeAll(async () => {
  embedder = await createOfflineProvider().create('embedding', 'hash-256');
  // The first example of each of the 77 intents is the query; the other 9,926 are the examples.
  const seen = new Set<string>();
  queries = [];
  pool = [];
  for (const row of loadBanking77('train')) {
    if (seen.has(row.label)) pool.push(row);
    else {
      seen.add(row.label);
      queries.push(row);
    }
  }
  selector = createExampleSelector(pool, embedder);
});

interface Stats {
  top1: number;
  hitAtK: number;
  distinctLabels: number;
  pairwiseSimilarity: number;
}

async function measure(lambda: number, k: number): Promise<Stats> {
  let top1 = 0;
  let hit = 0;
  let distinct = 0;
  let similarity = 0;
  let pairs = 0;
  for (const query of queries) {
    const picks = await selector.select(query.text, { k, lambda });
    if (picks[0]?.example.label === query.label) top1++;
    if (picks.some((p) => p.example.label === query.label)) hit++;
    distinct += new Set(picks.map((p) => p.example.label)).size;
    const vectors = (await embedder.embed(picks.map((p) => p.example.text))).map(unitVector);
    for (let a = 0; a < vectors.length; a++) {
      for (let b = a + 1; b < vectors.length; b++) {
        similarity += dot(vectors[a] as Float32Array, vectors[b] as Float32Array);
        pairs++;
      }
    }
  }
  const n = queries.length;
  return { top1: top1 / n, hitAtK: hit / n, distinctLabels: distinct / n, pairwiseSimilarity: similarity / pairs };
}

describe('createExampleSelector on BANKING77 with offline:hash-256', () => {
  // Hand-written queries; the embedder is lexical, so paraphrases sharing no words with an intent can miss it.
  it('puts an example of the query intent first for typical queries', async () => {
    const typical: Array<[string, string]> = [
      ['my new card still has not arrived', 'card_arrival'],
      ['someone stole my card, please block it', 'lost_or_stolen_card'],
      ['how do I set up apple pay', 'apple_pay_or_google_pay'],
      ['why was my card payment declined', 'declined_card_payment'],
      ['my top up failed', 'top_up_failed'],
      ['what exchange rate do you use for euros', 'exchange_rate'],
      ['my PIN is blocked after too many tries', 'pin_blocked'],
    ];
    for (const [query, label] of typical) {
      const [top] = await selector.select(query, { k: 3 });
      expect(top?.example.label, query).toBe(label);
    }
  });

  it('gets the intent right at top 1 for most held-out queries (measured 64/77)', async () => {
    const stats = await measure(1, 5);
    expect(stats.top1).toBeGreaterThanOrEqual(0.75);
    expect(stats.hitAtK).toBeGreaterThanOrEqual(0.85);
  });

  it('with lambda 0.5 yields more distinct intents and less redundancy than pure relevance', async () => {
    const relevance = await measure(1, 5);
    const mmr = await measure(0.5, 5);
    // Measured: 2.10 -> 3.21 distinct labels in 5, mean pairwise cosine 0.559 -> 0.392, hit@5 0.909 -> 0.935.
    expect(mmr.distinctLabels).toBeGreaterThan(relevance.distinctLabels + 0.75);
    expect(mmr.pairwiseSimilarity).toBeLessThan(relevance.pairwiseSimilarity - 0.1);
    expect(mmr.hitAtK).toBeGreaterThanOrEqual(relevance.hitAtK);
    expect(mmr.top1).toBe(relevance.top1);
  });

  it('returns exactly k examples, each once', async () => {
    for (const k of [0, 1, 3, 8, 25]) {
      const picks = await selector.select('I was charged twice for the same payment', { k });
      expect(picks).toHaveLength(k);
      expect(new Set(picks.map((p) => p.index)).size).toBe(k);
      for (const p of picks) expect(p.example).toBe(pool[p.index]);
    }
    const few = createExampleSelector(pool.slice(0, 3), embedder);
    expect(await few.select('card', { k: 10 })).toHaveLength(3);
  });

  it('is deterministic across calls and selectors', async () => {
    const query = 'why was my transfer declined';
    const first = await selector.select(query, { k: 6, lambda: 0.4 });
    const again = await selector.select(query, { k: 6, lambda: 0.4 });
    const fresh = await selectExamples({ query, examples: pool, embedder, k: 6, lambda: 0.4 });
    expect(again).toEqual(first);
    expect(fresh).toEqual(first);
  });

  it('embeds the examples once for many queries', async () => {
    const counting = new CountingEmbedder(embedder);
    const cached = createExampleSelector(pool.slice(0, 500), counting);
    await Promise.all([cached.select('top up failed', { k: 3 }), cached.select('change my pin', { k: 3 })]);
    await cached.select('exchange rate', { k: 3 });
    expect(counting.calls.filter((n) => n === 500)).toHaveLength(1);
    expect(counting.calls.filter((n) => n === 1)).toHaveLength(3);
  });

  it('with perLabel covers every label before repeating one', async () => {
    const labels = ['card_arrival', 'card_linking', 'exchange_rate', 'pin_blocked'];
    const subset = pool.filter((row) => labels.includes(row.label));
    const query = 'when will my card arrive';
    const plain = await selectExamples({ query, examples: subset, embedder, k: 4, lambda: 0.7 });
    const balanced = await selectExamples({ query, examples: subset, embedder, k: 6, lambda: 0.7, perLabel: true });
    expect(new Set(plain.map((p) => p.example.label)).size).toBeLessThan(4);
    expect(new Set(balanced.slice(0, 4).map((p) => p.example.label))).toEqual(new Set(labels));
    expect(balanced[0]?.example.label).toBe('card_arrival');
    expect(balanced).toHaveLength(6);
  });

  it('retries the example embedding after a failure and rejects a wrong vector count', async () => {
    let failures = 1;
    const flaky: Embedder = {
      metadata: embedder.metadata,
      embed: (texts) => (texts.length > 1 && failures-- > 0 ? Promise.reject(new Error('provider down')) : embedder.embed(texts)),
    };
    const retrying = createExampleSelector(pool.slice(0, 50), flaky);
    await expect(retrying.select('card', { k: 2 })).rejects.toThrow('provider down');
    expect(await retrying.select('card', { k: 2 })).toHaveLength(2);

    const short: Embedder = { metadata: embedder.metadata, embed: async (texts) => (await embedder.embed(texts)).slice(1) };
    const broken = createExampleSelector(pool.slice(0, 5), short);
    await expect(broken.select('card', { k: 2 })).rejects.toSatisfy((e) => isFerryError(e, 'PROVIDER_BAD_RESPONSE'));
  });

  it('rejects a bad k or lambda with INPUT_INVALID', async () => {
    await expect(selector.select('x', { k: -1 })).rejects.toSatisfy((e) => isFerryError(e, 'INPUT_INVALID'));
    await expect(selector.select('x', { k: 2.5 })).rejects.toThrow('k must be a non-negative integer');
    await expect(selector.select('x', { k: 2, lambda: 1.5 })).rejects.toThrow('lambda must be between 0 and 1');
    await expect(selector.select('x', { k: 2, poolSize: 0 })).rejects.toThrow('poolSize must be a positive integer');
  });
});
