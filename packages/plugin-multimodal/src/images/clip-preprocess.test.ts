import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoProcessor, env, RawImage as HfRawImage } from '@huggingface/transformers';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipPreprocess } from './clip-preprocess.js';
import { CLIP_PREPROCESSOR_CONFIG, type PreprocessorConfigInput } from './preprocessor-config.js';

/** Seeded noise plus a gradient, so resampling has edges and smooth areas to get right. */
function pixels(width: number, height: number, channels: number, seed: number): Buffer {
  let s = seed;
  const out = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        s = (s * 1103515245 + 12345) % 2147483648;
        const gradient = ((x * 255) / width + (y * 128) / height + c * 60) % 256;
        const alpha = c === 3 ? ((x + y) % 7) * 40 : undefined;
        out[(y * width + x) * channels + c] = alpha ?? Math.round(0.6 * gradient + 0.4 * (s % 256));
      }
    }
  }
  return out;
}

const raw = (w: number, h: number, c: 1 | 3 | 4, seed: number) => sharp(pixels(w, h, c, seed), { raw: { width: w, height: h, channels: c } });

const IMAGES: Array<{ name: string; make: () => Promise<Buffer> }> = [
  { name: 'rgb.jpg (301x199)', make: () => raw(301, 199, 3, 1).jpeg({ quality: 90 }).toBuffer() },
  { name: 'rgb.png (37x53, upscaled)', make: () => raw(37, 53, 3, 2).png().toBuffer() },
  { name: 'grey.png (145x71)', make: () => raw(145, 71, 1, 3).png().toBuffer() },
  { name: 'grey.jpg (97x250)', make: () => raw(97, 250, 1, 4).jpeg().toBuffer() },
  { name: 'rgba.png (257x129, alpha)', make: () => raw(257, 129, 4, 5).png().toBuffer() },
  { name: 'square.png (224x224, no resize)', make: () => raw(224, 224, 3, 6).png().toBuffer() },
];

const CONFIGS: Array<{ name: string; config: PreprocessorConfigInput }> = [
  { name: 'CLIP ViT-B/32 (bicubic 224)', config: CLIP_PREPROCESSOR_CONFIG },
  {
    name: 'bilinear, crop larger than the resized image (padding)',
    config: { ...CLIP_PREPROCESSOR_CONFIG, size: { shortest_edge: 40 }, resample: 2, crop_size: { height: 128, width: 128 } },
  },
];

let dir: string;
const measured: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-clip-pre-'));
  env.allowRemoteModels = false;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  console.info(`clipPreprocess vs transformers.js max |diff|:\n${measured.join('\n')}`);
});

describe('clipPreprocess equals transformers.js CLIPImageProcessor', () => {
  for (const [ci, { name: configName, config }] of CONFIGS.entries()) {
    it(`matches on JPEG/PNG, odd sizes, grey and alpha: ${configName}`, async () => {
      const modelDir = join(dir, `model-${ci}`);
      await import('node:fs/promises').then((fs) => fs.mkdir(modelDir, { recursive: true }));
      await writeFile(join(modelDir, 'preprocessor_config.json'), JSON.stringify({ ...config, image_processor_type: 'CLIPImageProcessor', feature_extractor_type: 'CLIPFeatureExtractor' }));
      const processor = await AutoProcessor.from_pretrained(modelDir, { local_files_only: true });
      for (const image of IMAGES) {
        const bytes = await image.make();
        const file = join(dir, `img-${ci}-${image.name.split(' ')[0]}`);
        await writeFile(file, bytes);
        const theirs = await processor(await HfRawImage.read(file));
        const expected = theirs.pixel_values.data as Float32Array;
        const ours = await clipPreprocess({ path: file }, config);
        expect([1, ...ours.dims]).toEqual(theirs.pixel_values.dims);
        let max = 0;
        for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs((expected[i] ?? 0) - (ours.data[i] ?? 0)));
        measured.push(`  ${configName} / ${image.name}: ${max.toExponential(2)}`);
        expect(max, image.name).toBeLessThanOrEqual(1e-5);
      }
    });
  }

  it('gives the same result from a buffer, a path and a decoded RawImage', async () => {
    const bytes = await raw(61, 45, 4, 9).png().toBuffer();
    const file = join(dir, 'same.png');
    await writeFile(file, bytes);
    const fromPath = await clipPreprocess({ path: file }, CLIP_PREPROCESSOR_CONFIG);
    const fromBytes = await clipPreprocess(new Uint8Array(bytes), CLIP_PREPROCESSOR_CONFIG);
    const decoded = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    const fromRaw = await clipPreprocess({ width: 61, height: 45, channels: 4, data: new Uint8Array(decoded.data) }, CLIP_PREPROCESSOR_CONFIG);
    // Byte comparison: deep equality over 150k floats is slow in vitest.
    const bytesOf = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    expect(bytesOf(fromBytes.data).equals(bytesOf(fromPath.data))).toBe(true);
    expect(bytesOf(fromRaw.data).equals(bytesOf(fromPath.data))).toBe(true);
    expect(fromPath.dims).toEqual([3, 224, 224]);
    expect(fromPath.originalSize).toEqual([45, 61]);
  });
});
