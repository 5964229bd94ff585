import { mkdir, mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BANNER_SIZES, productSchema, type CampaignManifest } from '@ferry/plugin-multimodal';
import type { FerryServer } from '@ferry/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { readEnv } from './env.js';

/** Width and height from a PNG's IHDR chunk, which the format puts first. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

// The shipped sample product, campaigns in a temporary folder, no API keys, offline copy.
let server: FerryServer;
let dataDir: string;
let product: Record<string, unknown>;
let created: { id: string; campaign: CampaignManifest; urls: { campaign: string; preview: string; banners: Array<{ url: string; size: string; width: number; height: number }> } };

const post = (payload: unknown) => server.fastify.inject({ method: 'POST', url: '/api/campaigns', payload: payload as object });
const get = (url: string) => server.fastify.inject({ method: 'GET', url });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ad-test-'));
  // Offline whatever provider the app was made with (src/ferry.config.ts reads these).
  process.env.FERRY_COPY_MODEL = 'none';
  process.env.FERRY_IMAGE_MODEL = 'none';
  server = await buildApp({ env: readEnv({ LOG_LEVEL: 'silent', FERRY_DATA_DIR: dataDir }) });
  product = JSON.parse(await readFile(new URL('../data/product.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  const response = await post(product);
  expect(response.statusCode, response.body).toBe(201);
  created = response.json();
}, 60_000);

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('ad-generator app', () => {
  it('generates a campaign offline: copy for every language and tone, written to data/campaigns/<id>', async () => {
    const { campaign, id } = created;
    expect(campaign.writer).toBe('templates');
    expect(productSchema.parse(campaign.product).name).toBe(product['name']);
    const pairs = campaign.copy.map((c) => `${c.language}-${c.tone}`).sort();
    expect(pairs).toEqual(['en-friendly', 'en-professional', 'zh-friendly', 'zh-professional']);
    expect(campaign.copy.find((c) => c.language === 'zh')?.copy.headline).toMatch(/[\u4e00-\u9fff]/);
    const onDisk = JSON.parse(await readFile(join(dataDir, 'campaigns', id, 'campaign.json'), 'utf8')) as CampaignManifest;
    expect(onDisk).toEqual(campaign);
    const served = await get(created.urls.campaign);
    expect(served.statusCode).toBe(200);
    expect(served.json()).toEqual(campaign);
  });

  it('renders the three banner sizes per language and tone, at their pixel sizes', async () => {
    const { campaign, urls } = created;
    for (const language of ['en', 'zh'] as const) {
      const sizes = campaign.banners.filter((b) => b.language === language).map((b) => b.size);
      expect(new Set(sizes)).toEqual(new Set(Object.keys(BANNER_SIZES)));
    }
    expect(urls.banners).toHaveLength(campaign.banners.length);
    for (const banner of urls.banners) {
      const response = await get(banner.url);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('image/png');
      const expected = BANNER_SIZES[banner.size as keyof typeof BANNER_SIZES];
      expect(pngSize(response.rawPayload)).toEqual({ width: expected.width, height: expected.height });
      expect({ width: banner.width, height: banner.height }).toEqual(expected);
    }
  });

  it('serves the preview page with its banners and a locked-down policy', async () => {
    const response = await get(created.urls.preview);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.body).toContain('src="banners/en-friendly-square.png"');
  });

  it('rejects a bad product with a 400 naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...product, brandColors: ['teal'] }, 'body.brandColors[0]'],
      [{ ...product, name: undefined }, 'body.name'],
      [{ ...product, tones: ['grumpy'] }, 'body.tones[0]'],
      [{ ...product, photo: '/etc/passwd' }, 'body.photo'],
    ];
    for (const [payload, field] of cases) {
      const response = await post(payload);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.field).toBe(field);
    }
  });

  it('serves only files inside a campaign folder', async () => {
    const { id } = created;
    // A symlink planted inside the campaign must not lead out of it.
    await symlink(join(dataDir, '..'), join(dataDir, 'campaigns', id, 'banners', 'escape.png'));
    for (const url of [
      `/api/campaigns/${id}/../../package.json`,
      `/api/campaigns/${id}/%2e%2e/%2e%2e/package.json`,
      `/api/campaigns/${id}/..%2f..%2fcampaign.json`,
      `/api/campaigns/..%2f..%2fsrc/app.ts`,
      `/api/campaigns/${id}%2f..%2f..%2fpackage.json/x.json`,
      `/api/campaigns/.staging-${id}/campaign.json`,
      `/api/campaigns/${id}/banners/escape.png`,
      `/api/campaigns/${id}/missing.png`,
      `/api/campaigns/${id}/banners`,
      '/api/campaigns/no-such-campaign/campaign.json',
    ]) {
      expect((await get(url)).statusCode, url).toBe(404);
    }
    expect((await stat(join(dataDir, 'campaigns', id, 'campaign.json'))).isFile()).toBe(true);
  });

  it('answers 404 for a folder, even one named like a served file, as for a missing file', async () => {
    const { id } = created;
    await mkdir(join(dataDir, 'campaigns', id, 'banners', 'folder.png'));
    await mkdir(join(dataDir, 'campaigns', id, 'notes.json'));
    for (const url of [`/api/campaigns/${id}/banners/folder.png`, `/api/campaigns/${id}/notes.json`]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.field, url).toBe('path');
    }
  });

  it('reports health and readiness', async () => {
    expect((await get('/health')).json()).toEqual({ status: 'ok' });
    expect((await get('/ready')).statusCode).toBe(200);
  });
});
