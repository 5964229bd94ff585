import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ImageEmbedder } from '@ferry/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIP_FIXTURES, tinyClip } from '../clip/tiny-clip.test-helper.js';
import { classifyImages } from '../clip/zero-shot.js';
import { parseClosedQuestion } from './closed-questions.js';
import { ClipVqaModel } from './clip-vqa-model.js';
import { OpenAIVisionModel } from './openai-vision-model.js';

describe('parseClosedQuestion', () => {
  it('recognises object, colour and either-or questions and nothing else', () => {
    expect(parseClosedQuestion('What is the main object?')?.kind).toBe('object');
    expect(parseClosedQuestion("what's in this picture")?.kind).toBe('object');
    expect(parseClosedQuestion('What colour is the car?')).toMatchObject({ kind: 'colour', subject: 'car' });
    expect(parseClosedQuestion('what color is it')).toMatchObject({ kind: 'colour', subject: 'object' });
    expect(parseClosedQuestion('Is it a cat or a dog?')).toMatchObject({ kind: 'choice', options: ['cat', 'dog'] });
    expect(parseClosedQuestion('Is this a square, a circle or a star?')).toMatchObject({ options: ['square', 'circle', 'star'] });
    expect(parseClosedQuestion('Why is the man smiling?')).toBeUndefined();
    expect(parseClosedQuestion('Write a poem about this image')).toBeUndefined();
  });
});

describe('ClipVqaModel (tiny CLIP fixture)', () => {
  let clip: ImageEmbedder;
  beforeAll(async () => {
    clip = await tinyClip();
  });
  afterAll(async () => {
    await clip.dispose?.();
  });

  it('answers closed questions with the zero-shot winner and refuses open ones', async () => {
    const image = { path: join(CLIP_FIXTURES, 'images/red-square.png') };
    const vqa = new ClipVqaModel(clip, { colours: ['red', 'blue', 'green'] });
    const colour = await vqa.answer(image, 'What colour is the square?');
    const [expected] = await classifyImages(clip, [image], ['red', 'blue', 'green'], { templates: ['a photo of a {} square.'] });
    expect(colour).toMatchObject({ text: expected?.label, finishReason: 'stop' });
    const choice = await vqa.answer(image, 'Is it a checkerboard or a square?');
    expect(['checkerboard', 'square']).toContain(choice.text);
    const open = await vqa.answer(image, 'Why would someone paint this?');
    expect(open.finishReason).toBe('no-answer');
    expect(open.text).toMatch(/cannot answer open-ended questions/);
    expect(vqa.metadata.task).toBe('vision-language');
  });
});

describe('OpenAIVisionModel', () => {
  let server: Server;
  let baseUrl: string;
  let received: { auth?: string; body?: any } = {};
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received = { auth: req.headers.authorization, body: JSON.parse(body) };
        if (received.body.model === 'text-only') return res.writeHead(400).end('{"error":{"message":"image input not supported"}}');
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ choices: [{ message: { content: 'A red square.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 90, completion_tokens: 4, total_tokens: 94 } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the image as a downscaled PNG data URL next to the question', async () => {
    const png = await sharp({ create: { width: 300, height: 150, channels: 3, background: '#cc0000' } }).png().toBuffer();
    const model = new OpenAIVisionModel({ model: 'gpt-4o-mini', baseUrl, apiKey: 'sk-test-123', maxImageSide: 100 });
    const result = await model.answer(new Uint8Array(png), 'What is this?');
    expect(result).toMatchObject({ text: 'A red square.', finishReason: 'stop', usage: { totalTokens: 94 } });
    expect(received.auth).toBe('Bearer sk-test-123');
    const [text, image] = received.body.messages[0].content;
    expect(text).toEqual({ type: 'text', text: 'What is this?' });
    const url: string = image.image_url.url;
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    const meta = await sharp(Buffer.from(url.split(',')[1]!, 'base64')).metadata();
    expect([meta.width, meta.height]).toEqual([100, 50]);
  });

  it('explains a 400 from a model that takes no images', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer();
    const model = new OpenAIVisionModel({ model: 'text-only', baseUrl });
    await expect(model.answer(new Uint8Array(png), 'hi')).rejects.toThrow(/HTTP 400/);
  });
});
