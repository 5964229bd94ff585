import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile, mkdir, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CLIP_FIXTURES } from '../clip/tiny-clip.test-helper.js';
import { createTransformersVisionModel, type TransformersVisionModel } from './transformers-vision-model.js';

/** fixtures/vlm: a random-weight ViT + GPT-2 VisionEncoderDecoder made by make_tiny_vit_gpt2.py, with PyTorch greedy captions. */
const VLM_FIXTURES = fileURLToPath(new URL('../../../../fixtures/vlm/', import.meta.url));
const TINY_VLM = join(VLM_FIXTURES, 'tiny-vit-gpt2');
const reference = z
  .object({
    maxNewTokens: z.number(),
    cases: z.array(z.object({ file: z.string(), generatedIds: z.array(z.number()), caption: z.string(), finishReason: z.enum(['stop', 'length']) })),
  })
  .parse(JSON.parse(readFileSync(join(VLM_FIXTURES, 'reference.json'), 'utf8')));

let vlm: TransformersVisionModel;
let work: string;
beforeAll(async () => {
  vlm = await createTransformersVisionModel({ folder: TINY_VLM, maxTokens: reference.maxNewTokens });
  work = await mkdtemp(join(tmpdir(), 'ferry-vlm-'));
});
afterAll(async () => {
  await vlm.dispose();
  await rm(work, { recursive: true, force: true });
});

describe('TransformersVisionModel (tiny ViT-GPT-2 fixture)', () => {
  it('captions each image as PyTorch greedy decoding does, ending on end-of-text or at the token limit', async () => {
    expect(new Set(reference.cases.map((c) => c.finishReason))).toEqual(new Set(['stop', 'length']));
    for (const c of reference.cases) {
      const result = await vlm.answer({ path: join(VLM_FIXTURES, c.file) }, 'Describe the image.');
      expect(result.text, c.file).toBe(c.caption);
      expect(result.finishReason, c.file).toBe(c.finishReason);
      expect(result.usage?.completionTokens, c.file).toBe(c.generatedIds.length);
    }
    expect(vlm.metadata).toMatchObject({ task: 'vision-language', provider: 'transformers', neural: true });
  });

  it('honours maxTokens and stop sequences', async () => {
    const long = reference.cases.find((c) => c.finishReason === 'length')!;
    const image = { path: join(VLM_FIXTURES, long.file) };
    const short = await vlm.answer(image, 'Describe the image.', { maxTokens: 3 });
    expect(short).toMatchObject({ text: long.caption.split(' ').slice(0, 3).join(' '), finishReason: 'length' });
    const word = long.caption.split(' ')[2]!;
    const stopped = await vlm.answer(image, 'Describe the image.', { stop: [` ${word}`] });
    expect(stopped).toMatchObject({ text: long.caption.slice(0, long.caption.indexOf(` ${word}`)), finishReason: 'stop' });
  });

  it('refuses folders it cannot run, and bad images, with errors that say what to fix', async () => {
    await expect(createTransformersVisionModel({ folder: join(CLIP_FIXTURES, 'tiny-clip') })).rejects.toMatchObject({ code: 'MODEL_TASK_UNSUPPORTED', field: 'folder' });
    await expect(createTransformersVisionModel({ folder: join(work, 'nothing') })).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'folder' });
    const partial = join(work, 'partial');
    await mkdir(partial);
    await copyFile(join(TINY_VLM, 'config.json'), join(partial, 'config.json'));
    await expect(createTransformersVisionModel({ folder: partial })).rejects.toMatchObject({ code: 'INPUT_INVALID', details: { missing: expect.arrayContaining(['onnx/encoder_model.onnx', 'tokenizer.json']) } });
    await expect(createTransformersVisionModel({ folder: TINY_VLM, dtype: 'q8' })).rejects.toMatchObject({ details: { missing: expect.arrayContaining(['onnx/decoder_model_merged_quantized.onnx']) } });
    const broken = join(work, 'broken.png');
    await writeFile(broken, '\x89PNG\r\n\x1a\nbroken');
    await expect(vlm.answer({ path: broken }, 'Describe the image.')).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });
});
