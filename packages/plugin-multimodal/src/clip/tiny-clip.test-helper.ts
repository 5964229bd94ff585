import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ImageEmbedder } from '@ferry/core';
import { createTransformersProvider } from '@ferry/provider-transformers';
import { z } from 'zod';

/** fixtures/clip: a random-weight CLIP made by fixtures/clip/make_tiny_clip.py, with PyTorch reference outputs. */
export const CLIP_FIXTURES = fileURLToPath(new URL('../../../../fixtures/clip/', import.meta.url));
export const TINY_CLIP = `${CLIP_FIXTURES}tiny-clip`;

const vector = z.array(z.number());
export const clipReference = z
  .object({
    images: z.array(z.object({ file: z.string(), embedding: vector, pixelValuesHead: vector })),
    texts: z.array(z.object({ text: z.string(), embedding: vector })),
  })
  .parse(JSON.parse(readFileSync(`${CLIP_FIXTURES}reference.json`, 'utf8')));

export async function tinyClip(): Promise<ImageEmbedder> {
  return createTransformersProvider().create('image-embedding', TINY_CLIP);
}
