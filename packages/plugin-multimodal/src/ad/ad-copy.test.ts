import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createOpenAIProvider, isFerryError } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adCopySchema } from './ad-copy.js';
import { imagePrompts } from './image-prompts.js';
import { extractKeywords } from './keywords.js';
import { ModelCopyWriter } from './model-copy-writer.js';
import { parseProduct, productIn } from './product-schema.js';
import { TemplateCopyWriter } from './template-copy-writer.js';

const SAMPLE = JSON.parse(readFileSync(fileURLToPath(new URL('../../examples/product.json', import.meta.url)), 'utf8')) as unknown;
const product = parseProduct(SAMPLE);

describe('product schema', () => {
  it('names the bad field and how to fix it', () => {
    try {
      parseProduct({ ...(SAMPLE as object), brandColors: ['blue'] });
      throw new Error('expected an error');
    } catch (error) {
      expect(isFerryError(error, 'INPUT_INVALID')).toBe(true);
      expect((error as Error).message).toMatch(/hex colour/);
      expect((error as { field?: string }).field).toBe('brandColors[0]');
    }
  });
});

describe('keywords', () => {
  it('scores name and feature terms, phrases included, and CJK bigrams', () => {
    const en = extractKeywords(productIn(product, 'en')).map((k) => k.term);
    expect(en.slice(0, 3)).toEqual(expect.arrayContaining(['aurasound', 'pro']));
    expect(en).toContain('noise cancelling');
    const zh = extractKeywords(productIn(product, 'zh')).map((k) => k.term);
    expect(zh).toContain('降噪');
  });
});

describe('TemplateCopyWriter', () => {
  it('writes valid, deterministic copy in English and Chinese for every tone', async () => {
    const writer = new TemplateCopyWriter();
    for (const language of ['en', 'zh'] as const) {
      for (const tone of ['professional', 'playful', 'luxury', 'urgent', 'friendly'] as const) {
        const request = { product, keywords: extractKeywords(productIn(product, language)), tone, language };
        const copy = await writer.write(request);
        expect(adCopySchema.parse(copy)).toEqual(copy);
        expect(await writer.write(request)).toEqual(copy);
        expect(copy.longCopy).not.toMatch(/\{\w+\}/);
        if (language === 'zh') expect(copy.headline).toMatch(/[\u4e00-\u9fff]/);
      }
    }
    const zh = await writer.write({ product, keywords: [], tone: 'professional', language: 'zh' });
    expect(zh.callToAction).toBe('立即购买');
  });
});

describe('ModelCopyWriter', () => {
  let server: Server;
  let baseURL: string;
  const replies = [
    'Sure! {"headline": "Focus, anywhere"}',
    JSON.stringify({
      headline: 'Focus, anywhere',
      subline: 'Noise cancelling that keeps up with you.',
      benefits: ['40-hour battery', 'Spatial audio', 'All-day comfort'],
      callToAction: 'Shop now',
      audienceAppeal: 'Made for remote workers and commuters.',
      shortCopy: 'AuraSound Pro: quiet when you need it.',
      longCopy: 'AuraSound Pro blocks the noise so you can do your best work.',
    }),
  ];
  const prompts: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const messages = (JSON.parse(body) as { messages: Array<{ content: string }> }).messages;
        prompts.push(messages.map((m) => m.content).join('\n'));
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: replies[prompts.length - 1] }, finish_reason: 'stop' }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('asks a chat model for schema-valid copy and re-asks when the reply is incomplete', async () => {
    const model = await createOpenAIProvider({ baseURL, apiKey: 'test-key' }).create('text-generation', 'gpt-4o-mini');
    const copy = await new ModelCopyWriter(model).write({ product, keywords: extractKeywords(productIn(product, 'en')), tone: 'playful', language: 'en' });
    expect(copy.headline).toBe('Focus, anywhere');
    expect(prompts).toHaveLength(2);
    expect(prompts[0]).toMatch(/playful tone/);
    expect(prompts[1]).toMatch(/not valid for the schema/);
  });
});

describe('imagePrompts', () => {
  it('writes one prompt per style with the product, colours and no-text instruction', () => {
    const list = imagePrompts(product);
    expect(list.map((p) => p.style)).toEqual(['photorealistic', 'minimalist']);
    expect(list[0]?.prompt).toMatch(/AuraSound Pro.*#0b5cff.*no text/);
  });
});
