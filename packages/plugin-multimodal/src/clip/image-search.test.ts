import { copyFile, mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { EmbedOptions, ImageEmbedder, ImageInput } from '@ferry/core';
import { openEmbeddedStore } from '@ferry/plugin-rag';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLIP_FIXTURES, clipReference, tinyClip } from './tiny-clip.test-helper.js';
import { openImageSearchIndex } from './image-search.js';
import { dot } from './vector-math.js';

const ref = clipReference;
const files = ref.images.map((i) => i.file);
const refImage = (file: string) => Float32Array.from(ref.images.find((i) => i.file === file)?.embedding ?? []);

/** Ranking of reference images for a reference text, from the fixture script's PyTorch embeddings. */
function expectedOrder(text: Float32Array): string[] {
  return [...files].sort((a, b) => dot(text, refImage(b)) - dot(text, refImage(a))).map((f) => basename(f));
}

/** The real tiny CLIP, counting how many images it embeds (so incremental re-adding is observable). */
class CountingEmbedder implements ImageEmbedder {
  embedded = 0;
  constructor(private readonly inner: ImageEmbedder) {}
  get metadata() {
    return this.inner.metadata;
  }
  embedImages(images: ImageInput[], options?: EmbedOptions): Promise<Float32Array[]> {
    this.embedded += images.length;
    return this.inner.embedImages(images, options);
  }
  embedTexts = (texts: string[], options?: EmbedOptions): Promise<Float32Array[]> => this.inner.embedTexts!(texts, options);
}

let clip: ImageEmbedder;
let embedder: CountingEmbedder;
let work: string;
let folder: string;

beforeAll(async () => {
  clip = await tinyClip();
  work = await mkdtemp(join(tmpdir(), 'ferry-image-search-'));
});
afterAll(async () => {
  await clip.dispose?.();
  await rm(work, { recursive: true, force: true });
});
beforeEach(async () => {
  embedder = new CountingEmbedder(clip);
  folder = await mkdtemp(join(work, 'images-'));
  for (const file of files) await copyFile(join(CLIP_FIXTURES, file), join(folder, basename(file)));
});

describe('ImageSearchIndex over the rag plugin vector store (tiny CLIP)', () => {
  it('searches a folder by text and by image in the reference order (temporary embedded store)', async () => {
    const index = await openImageSearchIndex(embedder);
    expect(await index.addFolder(folder)).toMatchObject({ total: files.length, added: files.length, updated: 0, unchanged: 0, removed: 0, skipped: [] });
    expect(await index.count()).toBe(files.length);
    for (const text of ref.texts) {
      const hits = await index.searchText(text.text, files.length);
      expect(hits.map((h) => h.id)).toEqual(expectedOrder(Float32Array.from(text.embedding)));
      hits.forEach((h) => expect(h.score).toBeCloseTo(dot(Float32Array.from(text.embedding), refImage(`images/${h.id}`)), 4));
    }
    const hits = await index.searchImage({ path: join(folder, 'checkerboard.png') }, 2);
    expect(hits[0]?.id).toBe('checkerboard.png');
    expect(hits[0]?.score).toBeCloseTo(1, 5);
    expect(hits[0]?.metadata).toMatchObject({ folder, path: 'checkerboard.png', dir: '', format: 'png' });
    await index.close();
  });

  it('persists in a folder: reopened, it searches without re-embedding and re-adding skips every file', async () => {
    const dir = join(work, 'persist-index');
    const first = await openImageSearchIndex(embedder, { dir });
    await first.addFolder(folder);
    const before = await first.searchText(ref.texts[0]!.text, 3);
    await first.close();
    expect(embedder.embedded).toBe(files.length);

    const reopened = await openImageSearchIndex(embedder, { dir });
    expect(await reopened.count()).toBe(files.length);
    expect(await reopened.searchText(ref.texts[0]!.text, 3)).toEqual(before);
    expect(await reopened.addFolder(folder)).toMatchObject({ added: 0, updated: 0, unchanged: files.length, removed: 0 });
    expect(embedder.embedded).toBe(files.length);
    await reopened.close();
  });

  it('re-adding embeds only new and changed files, deletes removed ones and skips non-images', async () => {
    const store = await openEmbeddedStore(join(work, 'incremental-store'));
    const index = await openImageSearchIndex(embedder, { store, collection: 'photos' });
    await index.addFolder(folder);
    embedder.embedded = 0;

    await copyFile(join(CLIP_FIXTURES, 'images/checkerboard.png'), join(folder, 'red-square.png')); // changed content
    await unlink(join(folder, 'green-stripes.png'));
    await mkdir(join(folder, 'more'));
    await copyFile(join(CLIP_FIXTURES, 'images/green-stripes.png'), join(folder, 'more', 'stripes.png'));
    await writeFile(join(folder, 'broken.png'), 'not a png');
    const report = await index.addFolder(folder);
    expect(report).toMatchObject({ total: 5, added: 1, updated: 1, unchanged: 2, removed: 1 });
    expect(report.skipped.map((s) => s.path)).toEqual(['broken.png']);
    expect(embedder.embedded).toBe(2);
    expect(await index.count()).toBe(files.length);
    expect((await index.collection.listIds()).sort()).toEqual(['blue-gradient.png', 'checkerboard.png', 'more/stripes.png', 'red-square.png']);

    const hits = await index.searchImage({ path: join(CLIP_FIXTURES, 'images/checkerboard.png') }, 2);
    expect(hits.map((h) => h.id).sort()).toEqual(['checkerboard.png', 'red-square.png']);
    hits.forEach((h) => expect(h.score).toBeCloseTo(1, 5));
    await index.close();
    await store.close();
  });

  it('filters by the metadata it stores and by the caller’s tags', async () => {
    await mkdir(join(folder, 'squares'));
    await copyFile(join(folder, 'red-square.png'), join(folder, 'squares', 'red-square.png'));
    await unlink(join(folder, 'red-square.png'));
    await copyFile(join(CLIP_FIXTURES, 'images/red-square-48x40.png'), join(folder, 'squares', 'red-square-48x40.png'));
    const index = await openImageSearchIndex(embedder);
    await index.addFolder(folder, { metadata: (path) => ({ shape: path.startsWith('squares/') ? 'square' : 'pattern' }) });
    const query = ref.texts[0]!.text;

    expect((await index.searchText(query, 10, { filter: { dir: 'squares' } })).map((h) => h.id).sort()).toEqual(['squares/red-square-48x40.png', 'squares/red-square.png']);
    expect((await index.searchText(query, 10, { filter: { width: { $lt: 48 } } })).map((h) => h.id)).not.toContain('squares/red-square-48x40.png');
    expect((await index.searchText(query, 10, { filter: { $and: [{ shape: 'square' }, { width: 48 }] } })).map((h) => h.id)).toEqual(['squares/red-square-48x40.png']);
    const patterns = await index.searchImage({ path: join(CLIP_FIXTURES, 'images/red-square.png') }, 10, { filter: { shape: { $ne: 'square' } } });
    expect(patterns.map((h) => h.id).sort()).toEqual(['blue-gradient.png', 'checkerboard.png', 'green-stripes.png']);

    // Changing only the caller's tags updates the records without embedding again.
    embedder.embedded = 0;
    expect(await index.addFolder(folder, { metadata: (path) => ({ shape: path.startsWith('squares/') ? 'box' : 'pattern' }) })).toMatchObject({ updated: 2, unchanged: 3 });
    expect(embedder.embedded).toBe(0);
    expect(await index.searchText(query, 10, { filter: { shape: 'square' } })).toEqual([]);
    await index.close();
  });

  it('rejects bad input with errors that say what to fix', async () => {
    const index = await openImageSearchIndex(embedder);
    await expect(index.addFolder(join(folder, 'missing'))).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'folder' });
    await expect(index.addFolder(folder, { metadata: () => ({ width: 1 }) })).rejects.toMatchObject({ code: 'INPUT_INVALID', message: expect.stringMatching(/set by the index/) });
    await expect(index.searchText('a', 0)).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'k' });
    await expect(index.searchText('a', 3, { filter: { width: { $near: 3 } } as never })).rejects.toMatchObject({ code: 'INPUT_INVALID' });

    const limited = await index.addFolder(folder, { maxBytes: 1000 });
    expect(limited.skipped).toEqual([{ path: 'blue-gradient.png', message: expect.stringMatching(/over the limit of 1000/) }]);
    expect((await index.addFolder(folder, { maxPixels: 32 * 32 - 1 })).skipped).toHaveLength(files.length);
    expect(await index.count()).toBe(0);
    await index.addFolder(folder);
    const other = await mkdtemp(join(work, 'other-'));
    await copyFile(join(folder, 'checkerboard.png'), join(other, 'checkerboard.png'));
    await expect(index.addFolder(other)).rejects.toMatchObject({ code: 'INPUT_INVALID', message: expect.stringMatching(/already in collection "images"/) });
    await index.close();

    const dir = join(work, 'dims-index');
    const store = await openEmbeddedStore(dir);
    await store.collection('images', { dims: 3 });
    await store.close();
    await expect(openImageSearchIndex(embedder, { dir })).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'dims', message: expect.stringMatching(/holds 3-dimensional vectors/) });
    await expect(openImageSearchIndex(embedder, { dir, store })).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'options.dir' });
  });
});
