import { readFile } from 'node:fs/promises';
import { FerryError, fromZodError } from '@ferry/core';
import { z } from 'zod';

const sizeSchema = z.union([
  z.number().int().positive(),
  z.looseObject({ shortest_edge: z.number().int().positive(), longest_edge: z.number().int().positive().optional() }),
  z.looseObject({ height: z.number().int().positive(), width: z.number().int().positive() }),
]);

/**
 * The part of a Hugging Face `preprocessor_config.json` that CLIP-style image
 * processors read. Unknown keys pass through (configs carry many).
 */
export const preprocessorConfigSchema = z.looseObject({
  do_convert_rgb: z.boolean().default(true),
  do_resize: z.boolean().optional(),
  size: sizeSchema.optional(),
  /** PIL codes: 0 nearest, 1 lanczos, 2 bilinear, 3 bicubic. */
  resample: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).default(2),
  do_center_crop: z.boolean().default(false),
  crop_size: z.union([z.number().int().positive(), z.looseObject({ height: z.number().int().positive(), width: z.number().int().positive() })]).optional(),
  do_rescale: z.boolean().default(true),
  rescale_factor: z.number().positive().default(1 / 255),
  do_normalize: z.boolean().default(false),
  image_mean: z.union([z.number(), z.array(z.number())]).optional(),
  image_std: z.union([z.number(), z.array(z.number()).nonempty()]).optional(),
});

export type PreprocessorConfig = z.output<typeof preprocessorConfigSchema>;
export type PreprocessorConfigInput = z.input<typeof preprocessorConfigSchema>;

/** CLIP ViT-B/32's processor settings (openai/clip-vit-base-patch32). */
export const CLIP_PREPROCESSOR_CONFIG: PreprocessorConfigInput = {
  do_convert_rgb: true,
  do_resize: true,
  size: { shortest_edge: 224 },
  resample: 3,
  do_center_crop: true,
  crop_size: { height: 224, width: 224 },
  do_rescale: true,
  rescale_factor: 1 / 255,
  do_normalize: true,
  image_mean: [0.48145466, 0.4578275, 0.40821073],
  image_std: [0.26862954, 0.26130258, 0.27577711],
};

export function parsePreprocessorConfig(value: unknown, what = 'preprocessor config'): PreprocessorConfig {
  const parsed = preprocessorConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw fromZodError('INPUT_INVALID', parsed.error, { what, hint: 'Use the preprocessor_config.json shipped with the model.' });
  }
  return parsed.data;
}

/** Reads a model folder's `preprocessor_config.json` (or the file itself). */
export async function readPreprocessorConfig(path: string): Promise<PreprocessorConfig> {
  const file = path.endsWith('.json') ? path : `${path.replace(/\/$/, '')}/preprocessor_config.json`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new FerryError('INPUT_INVALID', `cannot read ${file}`, { field: 'preprocessorConfig', hint: 'Point at a model folder that has a preprocessor_config.json.', cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new FerryError('INPUT_INVALID', `${file} is not valid JSON`, { field: 'preprocessorConfig', hint: 'Restore the file from the model repository.', cause });
  }
  return parsePreprocessorConfig(json, file);
}
