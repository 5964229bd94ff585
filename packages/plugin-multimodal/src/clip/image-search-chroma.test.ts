import { copyFile, mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ImageEmbedder } from '@ferry/core';
import { connectChroma, startChromaServer, type ChromaServer } from '@ferry/plugin-rag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIP_FIXTURES, clipReference, tinyClip } from './tiny-clip.test-helper.js';
import { openImageSearchIndex } from './image-search.js';
import { dot } from './vector-math.js';

// A real Chroma server (the one the chromadb package ships), as the rag plugin's own Chroma tests use.
let server: ChromaServer | undefined;
try {
  server = await startChromaServer({ path: await mkdtemp(join(tmpdir(), 'ferry-image-chroma-')), port: 0 });
} catch (error) {
  console.warn(`Chroma image-index test skipped: the chroma server cannot start on this machine: ${(error as Error).message}`);
}

const files = clipReference.images.map((i) => i.file);
const refImage = (file: string) => Float32Array.from(clipReference.images.find((i) => i.file === file)?.embedding ?? []);

let clip: ImageEmbedder;
let folder: string;
beforeAll(async () => {
  clip = await tinyClip();
  folder = await mkdtemp(join(tmpdir(), 'ferry-image-chroma-images-'));
  for (const file of files) await copyFile(join(CLIP_FIXTURES, file), join(folder, basename(file)));
});
afterAll(async () => {
  await clip.dispose?.();
  await server?.stop();
  await rm(folder, { recursive: true, force: true });
});

describe.skipIf(server === undefined)('ImageSearchIndex in a Chroma server (tiny CLIP)', () => {
  it('ranks as the reference, re-adds incrementally across connections and filters', async () => {
    const url = server!.url;
    let store = await connectChroma({ url });
    let index = await openImageSearchIndex(clip, { store, collection: 'photos' });
    expect(await index.addFolder(folder)).toMatchObject({ added: files.length });
    for (const text of clipReference.texts) {
      const expected = [...files].sort((a, b) => dot(Float32Array.from(text.embedding), refImage(b)) - dot(Float32Array.from(text.embedding), refImage(a))).map((f) => basename(f));
      expect((await index.searchText(text.text, files.length)).map((h) => h.id)).toEqual(expected);
    }
    await store.close();

    await unlink(join(folder, 'green-stripes.png'));
    store = await connectChroma({ url });
    index = await openImageSearchIndex(clip, { store, collection: 'photos' });
    expect(await index.addFolder(folder)).toMatchObject({ added: 0, unchanged: files.length - 1, removed: 1 });
    expect(await index.count()).toBe(files.length - 1);
    const hits = await index.searchText(clipReference.texts[0]!.text, 10, { filter: { path: { $in: ['checkerboard.png', 'green-stripes.png', 'red-square.png'] } } });
    expect(hits.map((h) => h.id).sort()).toEqual(['checkerboard.png', 'red-square.png']);
    await store.close();
  }, 60_000);
});
