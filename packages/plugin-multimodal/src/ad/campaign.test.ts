import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenAIProvider, definePlugin, FerryHost } from '@ferry/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plugin, type MultimodalPluginApi } from '../multimodal-plugin.js';
import { generateCampaign } from './campaign.js';
import { parseProduct } from './product-schema.js';

const product = parseProduct({
  name: 'Lumen Desk Lamp',
  features: ['Glare-free light for long evenings', 'Warm to cool colour in one touch', 'USB-C charging port in the base'],
  audience: 'students and home office workers',
  brandColors: ['#f4efe6', '#d9cbb3', '#1f3a5f'],
  tones: ['friendly'],
  languages: ['en'],
  styles: ['minimalist', 'lifestyle'],
});

let dir: string;
let server: Server;
let baseURL: string;
const imagePrompts: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-campaign-'));
  const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#1f3a5f' } }).png().toBuffer();
  // An OpenAI-compatible /images/generations endpoint, so the real OpenAIImageModel is exercised.
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      imagePrompts.push((JSON.parse(body) as { prompt: string }).prompt);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ created: 1, data: [{ b64_json: png.toString('base64'), revised_prompt: 'a lamp' }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('generateCampaign', () => {
  it('saves one generated image per style and uses it in the banners when there is no product photo', async () => {
    const imageGenerator = await createOpenAIProvider({ baseURL, apiKey: 'test-key' }).create('image-generation', 'gpt-image-1');
    const out = join(dir, 'with-images');
    const manifest = await generateCampaign({ product, outDir: out, imageGenerator, sizes: ['landscape'] });
    expect(imagePrompts).toHaveLength(2);
    expect(imagePrompts[0]).toMatch(/minimalist.*Lumen Desk Lamp.*no text/i);
    expect(manifest.images.map((i) => i.file)).toEqual(['images/minimalist.png', 'images/lifestyle.png']);
    expect(manifest.imageModel).toBe('openai:gpt-image-1');
    expect((await readdir(join(out, 'images'))).sort()).toEqual(['lifestyle.png', 'minimalist.png']);
    // The generated image (flat #1f3a5f) sits in the photo area of the light banner.
    const banner = await sharp(join(out, manifest.banners[0]!.file)).extract({ left: 900, top: 300, width: 4, height: 4 }).raw().toBuffer();
    expect([...banner.subarray(0, 3)]).toEqual([0x1f, 0x3a, 0x5f]);
    expect(JSON.parse(await readFile(join(out, 'campaign.json'), 'utf8')).banners).toHaveLength(1);
  });

  it('runs through the plugin in a host, with the app’s image limits applied', async () => {
    let api: MultimodalPluginApi | undefined;
    const app = definePlugin({
      name: 'ads-app',
      version: '1.0.0',
      requires: { '@ferry/plugin-multimodal': '^0.1.0' },
      setup(ctx) {
        api = ctx.use<MultimodalPluginApi>('@ferry/plugin-multimodal');
      },
    });
    const host = await FerryHost.start({ config: { plugins: [{ use: plugin, config: { images: { maxPixels: 1000 } } }, app] } });
    try {
      const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#000' } }).png().toBuffer();
      await expect(api!.loadImage(new Uint8Array(png))).rejects.toThrow(/over the limit of 0.0/);
      const manifest = await api!.generateCampaign({ product, outDir: join(dir, 'via-plugin'), sizes: ['square'] });
      expect(manifest.writer).toBe('templates');
      expect(manifest.banners.map((b) => b.file)).toEqual(['banners/en-friendly-square.png']);
      expect(manifest.copy[0]?.copy.subline).toMatch(/^[A-Z]/);
    } finally {
      await host.dispose();
    }
  });
});
