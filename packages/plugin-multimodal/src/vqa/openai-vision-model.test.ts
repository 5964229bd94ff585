import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FerryError } from '@ferry/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAIVisionModel } from './openai-vision-model.js';

interface Received {
  auth: string | undefined;
  body: any;
}

const OK_REPLY = JSON.stringify({ choices: [{ message: { content: 'A red square.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 90, completion_tokens: 4, total_tokens: 94 } });

/** How the fake server answers, by the model name in the request. */
function reply(model: string, nth: number, auth: string | undefined): { status: number; body: string } | undefined {
  switch (model) {
    case 'text-only':
      return { status: 400, body: '{"error":{"message":"image input not supported"}}' };
    case 'locked':
      // Some servers quote the key they refused; it must not reach the error.
      return { status: 401, body: JSON.stringify({ error: { message: `Incorrect API key provided: ${auth?.replace('Bearer ', '')}` } }) };
    case 'flaky':
      return nth === 1 ? { status: 503, body: '{"error":{"message":"model is loading"}}' } : { status: 200, body: OK_REPLY };
    case 'slow':
      return undefined;
    default:
      return { status: 200, body: OK_REPLY };
  }
}

async function png(width: number, height: number): Promise<Uint8Array> {
  return new Uint8Array(await sharp({ create: { width, height, channels: 3, background: '#cc0000' } }).png().toBuffer());
}

async function rejection(promise: Promise<unknown>): Promise<FerryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FerryError);
  return error as FerryError;
}

describe('OpenAIVisionModel', () => {
  let server: Server;
  let baseUrl: string;
  let received: Received[] = [];
  const count = (model: string): number => received.filter((r) => r.body.model === model).length;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const request = { auth: req.headers.authorization, body: JSON.parse(body) };
        received.push(request);
        const answer = reply(request.body.model, count(request.body.model), request.auth);
        if (!answer) return;
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the image as a downscaled PNG data URL next to the question', async () => {
    received = [];
    const model = new OpenAIVisionModel({ model: 'gpt-4o-mini', baseUrl, apiKey: 'sk-test-123', maxImageSide: 100, systemPrompt: 'Be brief.' });
    const result = await model.answer(await png(300, 150), 'What is this?', { maxTokens: 20 });
    expect(result).toMatchObject({ text: 'A red square.', finishReason: 'stop', usage: { promptTokens: 90, completionTokens: 4, totalTokens: 94 }, model: { ref: 'openai:gpt-4o-mini' } });
    const [request] = received;
    expect(request?.auth).toBe('Bearer sk-test-123');
    expect(request?.body).toMatchObject({ model: 'gpt-4o-mini', max_tokens: 20, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user' }] });
    const [text, image] = request?.body.messages[1].content;
    expect(text).toEqual({ type: 'text', text: 'What is this?' });
    expect(image.image_url.detail).toBe('auto');
    const url: string = image.image_url.url;
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    const meta = await sharp(Buffer.from(url.split(',')[1]!, 'base64')).metadata();
    expect([meta.width, meta.height]).toEqual([100, 50]);
  });

  it('explains a 400 from a model that takes no images, without retrying', async () => {
    received = [];
    const model = new OpenAIVisionModel({ model: 'text-only', baseUrl });
    const error = await rejection(model.answer(await png(8, 8), 'hi'));
    expect(error).toMatchObject({ code: 'PROVIDER_HTTP_ERROR', field: 'model', details: { status: 400 } });
    expect(error.message).toBe(
      `[PROVIDER_HTTP_ERROR] field "model": POST ${baseUrl}/chat/completions answered HTTP 400 Bad Request after 1 attempt: image input not supported\n  Fix: ${error.hint}`,
    );
    expect(error.hint).toMatch(/vision-capable model/);
    expect(count('text-only')).toBe(1);
  });

  it('names apiKey when the server refuses the key, and keeps the key out of the error', async () => {
    const model = new OpenAIVisionModel({ model: 'locked', baseUrl, apiKey: 'sk-secret-4567' });
    const error = await rejection(model.answer(await png(8, 8), 'hi'));
    expect(error).toMatchObject({ code: 'PROVIDER_HTTP_ERROR', field: 'apiKey', details: { status: 401 } });
    expect(error.message).toMatch(/HTTP 401 Unauthorized after 1 attempt: Incorrect API key provided: \*\*\*/);
    expect(JSON.stringify(error.toJSON())).not.toContain('sk-secret-4567');
  });

  it('retries a server that is still loading the model', async () => {
    received = [];
    const model = new OpenAIVisionModel({ model: 'flaky', baseUrl });
    const result = await model.answer(await png(8, 8), 'hi');
    expect(result.text).toBe('A red square.');
    expect(count('flaky')).toBe(2);
  });

  it('names timeoutMs and maxImageSide when the server does not answer in time', async () => {
    const model = new OpenAIVisionModel({ model: 'slow', baseUrl, timeoutMs: 100, maxRetries: 1, maxImageSide: 512 });
    const error = await rejection(model.answer(await png(8, 8), 'hi'));
    expect(error).toMatchObject({ code: 'PROVIDER_TIMEOUT', field: 'timeoutMs' });
    expect(error.message).toMatch(/did not answer within 100 ms after 2 attempts/);
    expect(error.hint).toMatch(/raise timeoutMs \(now 100\) or send smaller images with maxImageSide \(now 512\)/);
  });

  it('names baseUrl when nothing listens there', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const model = new OpenAIVisionModel({ model: 'gpt-4o-mini', baseUrl: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
    const error = await rejection(model.answer(await png(8, 8), 'hi'));
    expect(error).toMatchObject({ code: 'PROVIDER_HTTP_ERROR', field: 'baseUrl' });
    expect(error.message).toMatch(/could not be reached after 1 attempt: .*ECONNREFUSED/);
  });

  it("gives back the caller's abort as it is", async () => {
    const model = new OpenAIVisionModel({ model: 'slow', baseUrl });
    const controller = new AbortController();
    const answer = model.answer(await png(8, 8), 'hi', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user left')), 50);
    await expect(answer).rejects.toThrow('user left');
  });

  it('refuses options without a model, naming the field', () => {
    expect(() => new OpenAIVisionModel({ model: '' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', field: 'model' }));
  });
});
