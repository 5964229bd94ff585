import { join } from 'node:path';
import type { ImageEmbedder } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipPreprocess } from '../images/clip-preprocess.js';
import { readPreprocessorConfig } from '../images/preprocessor-config.js';
import { CLIP_FIXTURES, clipReference, tinyClip, TINY_CLIP } from './tiny-clip.test-helper.js';
import { classifyImages, labelEmbeddings } from './zero-shot.js';
import { dot, meanDirection } from './vector-math.js';

let clip: ImageEmbedder;
const ref = clipReference;
const refImage = (file: string) => Float32Array.from(ref.images.find((i) => i.file === file)?.embedding ?? []);

beforeAll(async () => {
  clip = await tinyClip();
});
afterAll(async () => {
  await clip.dispose?.();
});

describe('CLIP through an ImageEmbedder (tiny random CLIP fixture)', () => {
  it('preprocesses the fixture images like the fixture script (PyTorch CLIPImageProcessor)', async () => {
    const config = await readPreprocessorConfig(TINY_CLIP);
    for (const image of ref.images) {
      const ours = await clipPreprocess({ path: join(CLIP_FIXTURES, image.file) }, config);
      const head = [...ours.data.subarray(0, image.pixelValuesHead.length)];
      head.forEach((v, i) => expect(Math.abs(v - (image.pixelValuesHead[i] ?? 0)), image.file).toBeLessThan(1e-5));
    }
  });

  it('zero-shot ranks labels as the reference embeddings do, and ensembles prompts by mean direction', async () => {
    const labels = ref.texts.map((t) => t.text);
    for (const image of ref.images) {
      const [result] = await classifyImages(clip, [{ path: join(CLIP_FIXTURES, image.file) }], labels, { templates: ['{}'] });
      const e = refImage(image.file);
      const expected = [...ref.texts].sort((a, b) => dot(Float32Array.from(b.embedding), e) - dot(Float32Array.from(a.embedding), e)).map((t) => t.text);
      expect(result?.ranking.map((r) => r.label)).toEqual(expected);
      expect(result?.ranking.reduce((s, r) => s + r.score, 0)).toBeCloseTo(1, 5);
    }
    const templates = ['a photo of a {}', 'a {}'];
    const [square] = await labelEmbeddings(clip, ['red square'], { templates });
    const parts = await clip.embedTexts!(['a photo of a red square', 'a red square']);
    const expected = meanDirection(parts);
    square!.forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? 0, 5));
  });
});
