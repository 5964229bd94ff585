import { afterEach, describe, expect, it } from 'vitest';
import type { ModelMetadata } from '../../models/model-types.js';
import { OpenAIClient } from './openai-client.js';
import { OpenAIEmbeddingModel } from './openai-embedding-model.js';
import { sendJson, startFakeOpenAIServer, testSettings, type FakeOpenAIServer, type ReceivedRequest } from './openai-fake-server.test-helper.js';
import { openAIEmbeddingOptionsSchema, type OpenAIEmbeddingOptions } from './openai-model-options.js';

let server: FakeOpenAIServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A vector that encodes its text, so order mistakes show. */
const vectorOf = (text: string, dims: number): number[] => Array.from({ length: dims }, (_, i) => text.length + i / 10);

/** Answers in reverse order, as servers may, after checking the batch is no larger than allowed. */
function embeddingsRoute(maxBatch: number, dims = 3) {
  return (req: ReceivedRequest, res: Parameters<typeof sendJson>[0]): void => {
    const { input } = req.json as { input: string[] };
    if (input.length > maxBatch) {
      sendJson(res, 413, { error: { message: `batch of ${input.length} exceeds ${maxBatch}` } });
      return;
    }
    const data = input.map((text, index) => ({ object: 'embedding', index, embedding: vectorOf(text, dims) })).reverse();
    sendJson(res, 200, { object: 'list', data, model: 'bge', usage: { prompt_tokens: 3, total_tokens: 3 } });
  };
}

async function embedder(route: ReturnType<typeof embeddingsRoute>, options: OpenAIEmbeddingOptions = {}): Promise<OpenAIEmbeddingModel> {
  server = await startFakeOpenAIServer({ '/embeddings': route });
  const parsed = openAIEmbeddingOptionsSchema.parse(options);
  const metadata: ModelMetadata = { provider: 'openai', model: 'bge', ref: 'openai:bge', task: 'embedding', neural: true, ...(parsed.dims ? { dims: parsed.dims } : {}) };
  return new OpenAIEmbeddingModel(new OpenAIClient(testSettings(server.baseURL)), metadata, parsed);
}

describe('OpenAIEmbeddingModel', () => {
  it('batches the texts and returns one Float32Array per text in input order', async () => {
    const model = await embedder(embeddingsRoute(2), { batchSize: 2 });
    const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
    const vectors = await model.embed(texts);
    expect(vectors.map((v) => v[0])).toEqual([1, 2, 3, 4, 5]);
    expect(vectors[0]).toBeInstanceOf(Float32Array);
    expect(server?.requests.map((r) => (r.json as { input: string[] }).input)).toEqual([['a', 'bb'], ['ccc', 'dddd'], ['eeeee']]);
    expect(server?.requests[0]?.json).toMatchObject({ model: 'bge' });
  });

  it('sends 128 texts per request by default and nothing for no texts', async () => {
    const model = await embedder(embeddingsRoute(128));
    expect(await model.embed([])).toEqual([]);
    expect(await model.embed(Array.from({ length: 300 }, (_, i) => `t${i}`))).toHaveLength(300);
    expect(server?.requests.map((r) => (r.json as { input: string[] }).input.length)).toEqual([128, 128, 44]);
  });

  it('learns the dimensions from the first reply', async () => {
    const model = await embedder(embeddingsRoute(8, 5));
    expect(model.metadata.dims).toBeUndefined();
    await model.embed(['x']);
    expect(model.metadata.dims).toBe(5);
  });

  it('says which setting to fix when the configured dims are wrong', async () => {
    const model = await embedder(embeddingsRoute(8, 5), { dims: 384 });
    await expect(model.embed(['x'])).rejects.toMatchObject({ code: 'CONFIG_INVALID', field: 'options.dims', hint: expect.stringContaining('Set dims to 5') });
  });

  it('rejects a reply with missing or repeated indices', async () => {
    const model = await embedder((_req, res) =>
      sendJson(res, 200, { data: [{ index: 0, embedding: [1] }, { index: 0, embedding: [2] }] }),
    );
    await expect(model.embed(['a', 'b'])).rejects.toMatchObject({ code: 'PROVIDER_BAD_RESPONSE', field: 'response.data.index' });
    await expect(model.embed(['a'])).rejects.toMatchObject({ code: 'PROVIDER_BAD_RESPONSE', message: expect.stringContaining('2 embeddings for 1 inputs') });
  });

  it('reports a too-large batch with the hint to lower batchSize', async () => {
    const model = await embedder(embeddingsRoute(1), { batchSize: 4 });
    await expect(model.embed(['a', 'b'])).rejects.toMatchObject({ code: 'PROVIDER_HTTP_ERROR', hint: expect.stringContaining('batchSize') });
  });
});
