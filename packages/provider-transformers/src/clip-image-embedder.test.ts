import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ImageEmbedder } from '@ferry/core';
import { AutoProcessor, AutoTokenizer, RawImage, type Tensor } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipReference, dot, FIXTURES, maxAbsDiff, recordingLogger, TINY_BERT, TINY_CLIP } from './fixtures.test-helper.js';
import { createTransformersProvider } from './transformers-provider.js';

const provider = createTransformersProvider({ batchSize: 3 }, { logger: recordingLogger() });
const imagePath = (file: string): string => join(FIXTURES, 'clip', file);
let clip: ImageEmbedder;

beforeAll(async () => {
  clip = await provider.create('image-embedding', TINY_CLIP);
});
afterAll(() => clip.dispose?.());

describe('transformers: CLIP image and text embeddings on the tiny CLIP', () => {
  it('preprocesses exactly as the reference did', async () => {
    const processor = await AutoProcessor.from_pretrained(TINY_CLIP, { local_files_only: true });
    for (const { file, pixelValuesHead } of clipReference.images) {
      const { pixel_values } = (await processor(await RawImage.read(imagePath(file)))) as { pixel_values: Tensor };
      expect(pixel_values.dims).toEqual([1, 3, 32, 32]);
      expect(maxAbsDiff((pixel_values.data as Float32Array).slice(0, 16), pixelValuesHead)).toBeLessThanOrEqual(1e-5);
    }
    const tokenizer = await AutoTokenizer.from_pretrained(TINY_CLIP, { local_files_only: true });
    for (const { text, input_ids } of clipReference.texts) {
      expect((tokenizer(text).input_ids as { tolist(): bigint[][] }).tolist()[0]!.map(Number)).toEqual(input_ids);
    }
  });

  it('matches the PyTorch image embeddings within 1e-4, from bytes, paths, file URLs and raw pixels', async () => {
    const files = clipReference.images.map((i) => imagePath(i.file));
    const fromBytes = await clip.embedImages(files.map((f) => readFileSync(f)));
    const fromPaths = await clip.embedImages(files.map((path) => ({ path })));
    const fromUrls = await clip.embedImages(files.map((f) => ({ url: pathToFileURL(f).href })));
    const raws = await Promise.all(files.map((f) => RawImage.read(f)));
    const fromPixels = await clip.embedImages(raws.map((r) => ({ width: r.width, height: r.height, channels: r.channels as 3, data: r.data as Uint8ClampedArray })));
    for (const vectors of [fromBytes, fromPaths, fromUrls, fromPixels]) {
      expect(vectors).toHaveLength(files.length);
      vectors.forEach((v, i) => expect(maxAbsDiff(v, clipReference.images[i]!.embedding)).toBeLessThanOrEqual(1e-4));
    }
    expect(clip.metadata).toMatchObject({ task: 'image-embedding', dims: clipReference.dims, neural: true });
  });

  it('matches the PyTorch text embeddings within 1e-4, batched with padding', async () => {
    expect(clip.embedTexts).toBeDefined();
    const vectors = await clip.embedTexts!(clipReference.texts.map((t) => t.text));
    vectors.forEach((v, i) => {
      expect(maxAbsDiff(v, clipReference.texts[i]!.embedding)).toBeLessThanOrEqual(1e-4);
      expect(Math.abs(dot(v, v) - 1)).toBeLessThan(1e-5);
    });
  });

  it('resizes and crops an image of another size', async () => {
    const [v] = await clip.embedImages([{ path: imagePath(clipReference.resizedImage) }]);
    expect(v).toHaveLength(clipReference.dims);
    expect(Math.abs(dot(v!, v!) - 1)).toBeLessThan(1e-5);
  });

  it('rejects undecodable bytes, a missing file and raw pixels of the wrong size', async () => {
    await expect(clip.embedImages([Uint8Array.from([1, 2, 3])])).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(clip.embedImages([{ path: imagePath('images/nope.png') }])).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: expect.stringContaining('nope.png'),
    });
    await expect(clip.embedImages([{ width: 2, height: 2, channels: 3, data: new Uint8Array(5) }])).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: expect.stringContaining('needs 12 bytes'),
    });
  });

  it('refuses a model that is not CLIP', async () => {
    const siglip = join(mkdtempSync(join(tmpdir(), 'ferry-clip-')), 'siglip');
    cpSync(TINY_CLIP, siglip, { recursive: true });
    writeFileSync(join(siglip, 'config.json'), JSON.stringify({ model_type: 'siglip' }));
    await expect(provider.create('image-embedding', siglip)).rejects.toMatchObject({ code: 'MODEL_TASK_UNSUPPORTED', message: expect.stringContaining('"siglip"') });
    rmSync(siglip, { recursive: true, force: true });
    await expect(provider.create('image-embedding', TINY_BERT)).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND', message: expect.stringContaining('preprocessor_config.json') });
  });
});
