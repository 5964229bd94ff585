import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand, type RunnableCommand } from '@ferry/core/testing';
import { Config } from '@oclif/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../commands.js';
import { CLIP_FIXTURES, clipReference, TINY_CLIP } from '../clip/tiny-clip.test-helper.js';
import { BANNER_SIZES } from '../ad/banner.js';
import { openEmbeddedStore } from '@ferry/plugin-rag';

// Config.load reads package.json's oclif section, which points at the built dist/commands.js (tsc -b first).
const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SAMPLE_PRODUCT = join(PACKAGE_ROOT, 'examples', 'product.json');
const MODEL = `transformers:${TINY_CLIP}`;

let config: Config;
let dir: string;

beforeAll(async () => {
  config = await Config.load(PACKAGE_ROOT);
  dir = await mkdtemp(join(tmpdir(), 'ferry-multimodal-cmd-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (command: RunnableCommand<Config>, argv: string[]) => runCommand(command, argv, config);

describe('ferry multimodal commands', () => {
  it('registers embed, classify, search, ask and ad with oclif', () => {
    for (const id of ['embed', 'classify', 'search', 'ask', 'ad']) expect(config.findCommand(`multimodal:${id}`), id).toBeDefined();
  });

  it('ad writes the campaign folder offline: campaign.json, banners in every size, index.html', async () => {
    const photo = join(dir, 'headphones.png');
    await writeFile(photo, await sharp({ create: { width: 640, height: 480, channels: 3, background: '#dddddd' } }).composite([{ input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><circle cx="320" cy="240" r="150" fill="#222"/></svg>') }]).png().toBuffer());
    const product = { ...JSON.parse(await readFile(SAMPLE_PRODUCT, 'utf8')), photo: basename(photo) };
    await writeFile(join(dir, 'product.json'), JSON.stringify(product));
    const out = join(dir, 'campaign');
    const { stdout, exit } = await run(COMMANDS['multimodal:ad'], ['--product', join(dir, 'product.json'), '--out', out]);
    expect(exit).toBe(0);
    expect(stdout).toMatch(/wrote 12 banners, 4 copy sets/);
    const manifest = JSON.parse(await readFile(join(out, 'campaign.json'), 'utf8'));
    expect(manifest.writer).toBe('templates');
    expect(manifest.copy.map((c: { language: string; tone: string }) => `${c.language}/${c.tone}`)).toEqual(['en/professional', 'en/playful', 'zh/professional', 'zh/playful']);
    expect(manifest.banners).toHaveLength(12);
    for (const banner of manifest.banners) {
      const meta = await sharp(join(out, banner.file)).metadata();
      const size = BANNER_SIZES[banner.size as keyof typeof BANNER_SIZES];
      expect([meta.width, meta.height], banner.file).toEqual([size.width, size.height]);
    }
    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html).toContain('banners/zh-playful-story.png');
    expect(html).toContain(manifest.copy[2].copy.headline);
  }, 60_000);

  it('embed prints the fixture script’s embeddings (tiny CLIP)', async () => {
    const files = clipReference.images.map((i) => join(CLIP_FIXTURES, i.file));
    const text = clipReference.texts[0]!;
    const { stdout } = await run(COMMANDS['multimodal:embed'], [...files, '--text', text.text, '--model', MODEL, '--json']);
    const rows = JSON.parse(stdout) as Array<{ embedding: number[] }>;
    const expected = [...clipReference.images.map((i) => i.embedding), text.embedding];
    rows.forEach((row, r) => row.embedding.forEach((v, i) => expect(Math.abs(v - (expected[r]![i] ?? 0))).toBeLessThan(1e-4)));
  }, 30_000);

  it('classify, search and ask run on the tiny CLIP', async () => {
    const image = join(CLIP_FIXTURES, 'images/checkerboard.png');
    const classified = JSON.parse((await run(COMMANDS['multimodal:classify'], [image, '--labels', 'checkerboard,stripes,gradient', '--model', MODEL, '--json'])).stdout);
    expect(classified[0].ranking).toHaveLength(3);

    const folder = join(dir, 'images');
    await import('node:fs/promises').then((fs) => fs.mkdir(folder));
    for (const i of clipReference.images) await copyFile(join(CLIP_FIXTURES, i.file), join(folder, basename(i.file)));
    const hits = JSON.parse((await run(COMMANDS['multimodal:search'], ['--folder', folder, '--image', image, '-k', '2', '--model', MODEL, '--json'])).stdout);
    expect(hits[0].id).toBe('checkerboard.png');
    const index = join(dir, 'image-index');
    const search = ['--folder', folder, '--index', index, '--text', 'stripes', '-k', '4', '--model', MODEL, '--json'];
    const first = JSON.parse((await run(COMMANDS['multimodal:search'], search)).stdout);
    expect(first).toHaveLength(clipReference.images.length);
    expect(JSON.parse((await run(COMMANDS['multimodal:search'], search)).stdout)).toEqual(first);
    const store = await openEmbeddedStore(index);
    expect(await (await store.collection('images', { dims: 16 })).count()).toBe(clipReference.images.length); // tiny CLIP: projection_dim 16
    await store.close();
    const filtered = JSON.parse((await run(COMMANDS['multimodal:search'], [...search, '--filter', '{"path":{"$in":["red-square.png","checkerboard.png"]}}'])).stdout);
    expect(filtered.map((h: { id: string }) => h.id).sort()).toEqual(['checkerboard.png', 'red-square.png']);
    await expect(run(COMMANDS['multimodal:search'], [...search, '--filter', '{oops'])).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'filter' });

    const closed = await run(COMMANDS['multimodal:ask'], [image, 'Is it a checkerboard or a stripe?', '--clip', MODEL]);
    expect(['checkerboard', 'stripe']).toContain(closed.stdout.trim());
    const open = await run(COMMANDS['multimodal:ask'], [image, 'Who painted this and why?', '--clip', MODEL]);
    expect(open.exit).toBe(2);
    expect(open.stdout).toMatch(/cannot answer open-ended questions/);

    const vlm = fileURLToPath(new URL('../../../../fixtures/vlm/', import.meta.url));
    const caption = JSON.parse(readFileSync(join(vlm, 'reference.json'), 'utf8')).cases[0];
    const asked = await run(COMMANDS['multimodal:ask'], [join(vlm, caption.file), 'Describe the image.', '--vlm', join(vlm, 'tiny-vit-gpt2'), '--max-tokens', '10', '--json']);
    expect(JSON.parse(asked.stdout)).toMatchObject({ text: caption.caption, finishReason: caption.finishReason });
  }, 30_000);
});
