import type { Embedder } from '@ferry/core';
import { AutoTokenizer } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dot, encoderReference, maxAbsDiff, recordingLogger, TINY_BERT } from './fixtures.test-helper.js';
import type { TransformersEmbedder } from './transformers-embedder.js';
import { createTransformersProvider } from './transformers-provider.js';

const provider = createTransformersProvider({ batchSize: 2 }, { logger: recordingLogger() });
const texts = encoderReference.embeddings.map((e) => e.text);
let embedder: TransformersEmbedder;

beforeAll(async () => {
  embedder = (await provider.create('embedding', TINY_BERT)) as TransformersEmbedder;
});
afterAll(() => embedder.dispose());

describe('transformers: embeddings on the tiny encoder', () => {
  it("tokenises exactly as the fixture's PyTorch reference did", async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(TINY_BERT, { local_files_only: true });
    for (const { text, input_ids } of encoderReference.embeddings) {
      expect((tokenizer(text).input_ids as { tolist(): bigint[][] }).tolist()[0]!.map(Number)).toEqual(input_ids);
    }
  });

  it('matches the mean-pooled, normalised PyTorch embeddings within 1e-4', async () => {
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(texts.length);
    vectors.forEach((v, i) => {
      expect(v).toBeInstanceOf(Float32Array);
      expect(maxAbsDiff(v, encoderReference.embeddings[i]!.mean)).toBeLessThanOrEqual(1e-4);
      expect(Math.abs(dot(v, v) - 1)).toBeLessThan(1e-5);
    });
    expect(embedder.metadata).toMatchObject({ provider: 'transformers', ref: `transformers:${TINY_BERT}`, task: 'embedding', neural: true, dims: 32, contextLength: 64 });
  });

  it('pools the CLS token, and leaves vectors unnormalised when asked', async () => {
    const cls = (await provider.create('embedding', TINY_BERT, { pooling: 'cls' })) as Embedder;
    const raw = (await provider.create('embedding', TINY_BERT, { normalize: false })) as Embedder;
    const [c, r] = await Promise.all([cls.embed(texts), raw.embed(texts)]);
    c.forEach((v, i) => expect(maxAbsDiff(v, encoderReference.embeddings[i]!.cls)).toBeLessThanOrEqual(1e-4));
    r.forEach((v, i) => expect(maxAbsDiff(v, encoderReference.embeddings[i]!.meanUnnormalised)).toBeLessThanOrEqual(1e-4));
    await Promise.all([cls.dispose?.(), raw.dispose?.()]);
  });

  it('gives the same vectors batched (padded) as one by one, sharing passes between concurrent calls', async () => {
    const single: Float32Array[] = [];
    for (const text of texts) single.push(...(await embedder.embed([text])));
    const before = embedder.forwardPasses;
    // Five concurrent calls of one text each, batch size 2: three passes, not five.
    const concurrent = await Promise.all(texts.map((t) => embedder.embed([t])));
    expect(embedder.forwardPasses - before).toBe(Math.ceil(texts.length / 2));
    const batched = await embedder.embed(texts);
    concurrent.flat().forEach((v, i) => expect(maxAbsDiff(v, single[i]!)).toBeLessThanOrEqual(1e-5));
    batched.forEach((v, i) => expect(maxAbsDiff(v, single[i]!)).toBeLessThanOrEqual(1e-5));
    expect(await embedder.embed([])).toEqual([]);
  });

  it('loads the int8 export for dtype q8: close to fp32, not identical', async () => {
    const q8 = (await provider.create('embedding', TINY_BERT, { dtype: 'q8' })) as Embedder;
    expect(q8.metadata.description).toContain('q8');
    const vectors = await q8.embed(texts);
    vectors.forEach((v, i) => {
      const reference = encoderReference.embeddings[i]!.mean;
      expect(dot(v, reference)).toBeGreaterThan(0.99);
      expect(maxAbsDiff(v, reference)).toBeGreaterThan(1e-6);
    });
    await q8.dispose?.();
  });

  it('refuses pooling "none" for a model that outputs token vectors, naming the option', async () => {
    const none = (await provider.create('embedding', TINY_BERT, { pooling: 'none' })) as Embedder;
    await expect(none.embed(['hello world'])).rejects.toMatchObject({ code: 'MODEL_TASK_UNSUPPORTED', field: 'options.pooling' });
    await none.dispose?.();
  });

  it('stops a call whose signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('user cancelled'));
    await expect(embedder.embed(texts, { signal: controller.signal })).rejects.toThrow('user cancelled');
  });
});
