import { request } from 'node:http';
import { FerryHost, HashingEmbedder } from '@ferry/core';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFerryServer, type FerryServer } from '../create-ferry-server.js';
import { TEST_KEYS, testAuth } from '../server.test-helper.js';

const DOCUMENTS = [
  { id: 'refunds.md#1', source: 'refunds.md', text: 'Refunds are issued within 14 days of the return being received. Shipping costs are not refunded.' },
  { id: 'support.md#1', source: 'support.md', text: 'Support is open Monday to Friday from 9am to 5pm.' },
];

describe('OpenAI-compatible endpoints, driven by the official openai client', () => {
  let server: FerryServer;
  let client: OpenAI;
  let host: FerryHost;

  beforeAll(async () => {
    host = await FerryHost.start({ config: { models: { chat: 'offline:extractive', embedder: 'offline:hash-256' } } });
    server = await createFerryServer({
      host,
      auth: testAuth,
      logger: false,
      readyModels: [
        { task: 'text-generation', model: 'chat' },
        { task: 'embedding', model: 'embedder' },
      ],
    });
    const url = await server.listen();
    client = new OpenAI({ baseURL: `${url}/v1`, apiKey: TEST_KEYS.admin, maxRetries: 0 });
  });

  afterAll(async () => {
    await server.close();
  });

  it('answers a chat completion through a config alias, with citations', async () => {
    const completion = await client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'When are refunds issued?' }],
      documents: DOCUMENTS,
    } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('chat');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.choices[0]?.message.content).toContain('Refunds are issued within 14 days');
    const ferry = (completion as unknown as { ferry: { citations: Array<{ documentId: string }>; neural: boolean } }).ferry;
    expect(ferry.neural).toBe(false);
    expect(ferry.citations[0]?.documentId).toBe('refunds.md#1');
  });

  it('streams the same answer as SSE chunks ending in [DONE]', async () => {
    const stream = await client.chat.completions.create({
      model: 'offline:extractive',
      messages: [{ role: 'user', content: 'When are refunds issued?' }],
      stream: true,
      documents: DOCUMENTS,
    } as OpenAI.ChatCompletionCreateParamsStreaming);
    const pieces: string[] = [];
    const finishes: Array<string | null> = [];
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      pieces.push(chunk.choices[0]?.delta.content ?? '');
      finishes.push(chunk.choices[0]?.finish_reason ?? null);
    }
    const whole = await client.chat.completions.create({
      model: 'offline:extractive',
      messages: [{ role: 'user', content: 'When are refunds issued?' }],
      documents: DOCUMENTS,
    } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join('')).toContain('Refunds are issued within 14 days');
    expect(pieces.join('')).toBe(whole.choices[0]?.message.content);
    expect(finishes.at(-1)).toBe('stop');
  });

  it('returns embeddings equal to the model\'s own vectors (base64 default and float)', async () => {
    const texts = ['refund policy', 'opening hours'];
    const expected = await new HashingEmbedder(256).embed(texts);
    const viaBase64 = await client.embeddings.create({ model: 'embedder', input: texts });
    const viaFloat = await client.embeddings.create({ model: 'offline:hash-256', input: texts, encoding_format: 'float' });
    for (const res of [viaBase64, viaFloat]) {
      expect(res.data).toHaveLength(2);
      res.data.forEach((d, i) => {
        expect(d.embedding).toHaveLength(256);
        d.embedding.forEach((x, j) => expect(x).toBeCloseTo(expected[i]![j]!, 6));
      });
    }
  });

  it('lists the config aliases and provider models', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['chat', 'embedder', 'offline:extractive']));
  });

  it('maps bad requests to client errors the openai client understands', async () => {
    await expect(client.chat.completions.create({ model: 'offline:nope', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      status: 404,
      error: { code: 'MODEL_NOT_FOUND', field: 'model' },
    });
    await expect(client.chat.completions.create({ model: 'chat', messages: [] })).rejects.toMatchObject({
      status: 400,
      error: { field: 'body.messages' },
    });
    await expect(client.embeddings.create({ model: 'offline:extractive', input: 'x' })).rejects.toMatchObject({ status: 400 });
    const chatOnly = new OpenAI({ baseURL: client.baseURL, apiKey: TEST_KEYS.chat, maxRetries: 0 });
    await expect(chatOnly.embeddings.create({ model: 'embedder', input: 'x' })).rejects.toMatchObject({ status: 403 });
    const anonymous = new OpenAI({ baseURL: client.baseURL, apiKey: 'not-a-key', maxRetries: 0 });
    await expect(anonymous.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('is ready once the configured models load', async () => {
    const res = await fetch(`${client.baseURL.replace(/\/v1$/, '')}/ready`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { checks: Array<{ name: string }> }).checks.map((c: { name: string }) => c.name)).toEqual(['model:chat', 'model:embedder']);
  });
});

describe('OpenAI-compatible endpoints over models given directly', () => {
  it('serves direct models by name and reports a model failing mid-stream as an error event', async () => {
    const metadata = { provider: 'app', model: 'breaks', ref: 'app:breaks', task: 'text-generation' as const, neural: false };
    const breaks = {
      metadata,
      async generate() {
        return { text: 'never', finishReason: 'stop' as const, model: metadata };
      },
      async *stream() {
        yield 'first ';
        yield 'second ';
        throw new Error('backend connection reset');
      },
    };
    const server = await createFerryServer({ auth: false, logger: false, models: { textGenerators: { breaks }, embedders: { small: new HashingEmbedder(32) } } });
    const url = await server.listen();
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const seen: string[] = [];
    const consume = async () => {
      const stream = await client.chat.completions.create({ model: 'breaks', messages: [{ role: 'user', content: 'hi' }], stream: true });
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    };
    await expect(consume()).rejects.toThrow(/failed while streaming/);
    expect(seen.join('')).toBe('first second ');
    const emb = await client.embeddings.create({ model: 'small', input: 'x', encoding_format: 'float' });
    expect(emb.data[0]?.embedding).toHaveLength(32);
    await expect(client.embeddings.create({ model: 'breaks', input: 'x' })).rejects.toMatchObject({ status: 404, error: { hint: expect.stringContaining('small') } });
    await server.close();
  });

  it('stops the model when the client hangs up mid-stream', async () => {
    const metadata = { provider: 'app', model: 'slow', ref: 'app:slow', task: 'text-generation' as const, neural: false };
    let aborted = false;
    let produced = 0;
    const slow = {
      metadata,
      async generate() {
        return { text: '', finishReason: 'stop' as const, model: metadata };
      },
      async *stream(_input: unknown, options?: { signal?: AbortSignal }) {
        options?.signal?.addEventListener('abort', () => (aborted = true));
        for (let i = 0; i < 200; i++) {
          options?.signal?.throwIfAborted();
          produced++;
          yield `piece${i} `;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      },
    };
    const server = await createFerryServer({ auth: false, logger: false, models: { textGenerators: { slow } } });
    const url = await server.listen();
    // node:http, not fetch: undici opens a spare connection after an abort, which would hold close() open.
    await new Promise<void>((resolve, reject) => {
      const req = request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        expect(res.headers['x-request-id']).toBeTruthy();
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.once('error', reject);
      req.end(JSON.stringify({ model: 'slow', messages: [{ role: 'user', content: 'go' }], stream: true }));
    });
    await expect.poll(() => aborted, { timeout: 3000 }).toBe(true);
    expect(produced).toBeLessThan(200);
    await server.close();
  });
});
