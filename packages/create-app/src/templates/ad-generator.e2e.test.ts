import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedApp } from '../create-app.js';
import { inApp, scaffold, startApp, type RunningApp } from './generated-app.test-helper.js';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe('ad-generator template, scaffolded and run', () => {
  let app: CreatedApp;
  let running: RunningApp | undefined;

  beforeAll(async () => {
    app = await scaffold('ad-generator');
    await inApp(app, 'tsc', ['-p', 'tsconfig.build.json']);
    running = await startApp(app);
  }, 120_000);

  afterAll(async () => {
    if (running) expect(await running.stop()).toBe(0);
    if (app) await rm(dirname(app.dir), { recursive: true, force: true });
  });

  it('type-checks and passes its own tests', async () => {
    await inApp(app, 'tsc', ['--noEmit']);
    expect(await inApp(app, 'vitest', ['run'])).toMatch(/7 passed/);
  }, 120_000);

  it('the CLI writes a campaign folder from the sample product', async () => {
    const out = await inApp(app, 'node', ['dist/ad.js', '--product', 'data/product.json', '--out', 'campaigns/sample']);
    expect(out).toMatch(/wrote 12 banners and 4 copy sets \(writer: templates\)/);
    const campaign = JSON.parse(await readFile(join(app.dir, 'campaigns/sample/campaign.json'), 'utf8')) as { banners: Array<{ file: string }> };
    for (const banner of campaign.banners) expect(existsSync(join(app.dir, 'campaigns/sample', banner.file))).toBe(true);
    expect(existsSync(join(app.dir, 'campaigns/sample/index.html'))).toBe(true);
  }, 60_000);

  it('the CLI names the field of a bad product and exits 1', async () => {
    await expect(inApp(app, 'node', ['dist/ad.js', '--product', 'package.json', '--out', 'campaigns/bad'])).rejects.toThrow(/INPUT_INVALID[\s\S]*features/);
  }, 30_000);

  it('generates a campaign over HTTP and serves its banners', async () => {
    const product = JSON.parse(await readFile(join(app.dir, 'data/product.json'), 'utf8')) as object;
    const response = await fetch(`${running?.url}/api/campaigns`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(product) });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string; urls: { preview: string; banners: Array<{ url: string; size: string; width: number; height: number }> } };
    expect(existsSync(join(app.dir, 'data/campaigns', body.id, 'campaign.json'))).toBe(true);
    const story = body.urls.banners.find((b) => b.size === 'story' && b.url.includes('/zh-'));
    expect(story).toBeDefined();
    const png = await fetch(`${running?.url}${story?.url}`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(pngSize(new Uint8Array(await png.arrayBuffer()))).toEqual({ width: 1080, height: 1920 });
    expect((await fetch(`${running?.url}${body.urls.preview}`)).status).toBe(200);
    const bad = await fetch(`${running?.url}/api/campaigns`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...product, brandColors: [] }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('body.brandColors');
  }, 60_000);
});
