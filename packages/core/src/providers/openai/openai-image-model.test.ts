import { afterEach, describe, expect, it } from 'vitest';
import type { ModelMetadata } from '../../models/model-types.js';
import { OpenAIClient } from './openai-client.js';
import { sendJson, startFakeOpenAIServer, testSettings, type FakeOpenAIServer, type FakeRoute } from './openai-fake-server.test-helper.js';
import { OpenAIImageModel } from './openai-image-model.js';

const metadata: ModelMetadata = { provider: 'openai', model: 'sdxl', ref: 'openai:sdxl', task: 'image-generation', neural: true };
// The 8-byte PNG signature and a few more bytes: enough to be recognised.
const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82);
const JPEG = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70);

let server: FakeOpenAIServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function imageModel(route: FakeRoute, defaults = {}): Promise<OpenAIImageModel> {
  server = await startFakeOpenAIServer({ '/images/generations': route });
  return new OpenAIImageModel(new OpenAIClient(testSettings(server.baseURL)), metadata, defaults);
}

describe('OpenAIImageModel', () => {
  it('asks for base64 images and decodes them, with their type and revised prompt', async () => {
    const model = await imageModel((_req, res) =>
      sendJson(res, 200, {
        created: 1,
        data: [{ b64_json: Buffer.from(PNG).toString('base64'), revised_prompt: 'a red ferry at dawn' }, { b64_json: Buffer.from(JPEG).toString('base64') }],
      }),
    );
    const images = await model.generateImages('a ferry', { n: 2, width: 512, height: 256, seed: 7 });
    expect(images).toEqual([
      { data: PNG, mimeType: 'image/png', revisedPrompt: 'a red ferry at dawn' },
      { data: JPEG, mimeType: 'image/jpeg' },
    ]);
    expect(server?.requests[0]?.json).toEqual({ model: 'sdxl', prompt: 'a ferry', n: 2, size: '512x256', seed: 7, response_format: 'b64_json' });
  });

  it('uses the model default size, square when one side is given, and none when neither is', async () => {
    const ok: FakeRoute = (_req, res) => sendJson(res, 200, { data: [{ b64_json: Buffer.from(PNG).toString('base64') }] });
    const model = await imageModel(ok, { width: 1024 });
    await model.generateImages('x');
    await model.generateImages('x', { height: 768 });
    expect(server?.requests.map((r) => (r.json as { size?: string }).size)).toEqual(['1024x1024', '1024x768']);
    await server?.close();
    await (await imageModel(ok)).generateImages('x');
    expect(server?.requests[0]?.json).not.toHaveProperty('size');
  });

  it('explains a reply with URLs instead of base64', async () => {
    const model = await imageModel((_req, res) => sendJson(res, 200, { data: [{ url: 'https://example.com/a.png' }] }));
    await expect(model.generateImages('x')).rejects.toMatchObject({
      code: 'PROVIDER_BAD_RESPONSE',
      field: 'response.data[0].b64_json',
      message: expect.stringContaining('b64_json'),
    });
  });
});
