import { formatPath } from '@ferry/core';
import { z } from 'zod';
import { promptFormatSchema } from './data/prompt-format.js';
import { finetuneError } from './finetune-error.js';
import { loraConfigSchema } from './lora/lora-config.js';
import { trainingOptionsSchema } from './train/train-loop.js';

/** Where the examples come from and how rows become (text, label) pairs. */
export const finetuneDataSchema = z
  .object({
    train: z.string().min(1),
    /** A separate validation file; without one, `validationFraction` of train is split off, stratified by label. */
    validation: z.string().min(1).optional(),
    validationFraction: z.number().gt(0).lt(1).default(0.1),
    format: z.enum(['csv', 'jsonl']).optional(),
    encoding: z.enum(['utf8', 'latin1']).default('utf8'),
    textField: z.string().min(1).default('text'),
    labelField: z.string().min(1).default('label'),
    /** Raw label value -> label name the model is trained to answer. */
    labelMap: z.record(z.string(), z.string().min(1)).optional(),
    skipBadRows: z.boolean().default(false),
    maxLength: z.number().int().min(2).default(256),
    packing: z.boolean().default(false),
  })
  .strict();

/**
 * A fine-tuning run as a config file states it (what `ferry finetune train`
 * will validate): the base model, LoRA / QLoRA / full fine-tuning, data,
 * prompt format, training options and the output folder.
 */
export const finetuneConfigSchema = z
  .object({
    /** Model reference or local folder of the base model, e.g. `llama:./models/tiny-llama`. */
    model: z.string().min(1),
    /** `qlora` keeps the frozen base in NF4; `full` trains every weight (small models, to measure LoRA's savings). */
    mode: z.enum(['lora', 'qlora', 'full']).default('lora'),
    /** 'model': the folder's tokenizer.json; 'bytes': UTF-8 bytes (ByteTokenizer), for byte-level models trained from scratch. */
    tokenizer: z.enum(['model', 'bytes']).default('model'),
    lora: loraConfigSchema.optional(),
    data: finetuneDataSchema,
    prompt: promptFormatSchema,
    training: trainingOptionsSchema.omit({ checkpointDir: true }),
    /** Checkpoints, adapter, reports and plots go here. */
    outputDir: z.string().min(1),
    eval: z.object({ reviewSampleSize: z.number().int().min(0).default(20), normalize: z.enum(['sum', 'mean']).default('sum') }).strict().default({ reviewSampleSize: 20, normalize: 'sum' }),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.mode !== 'full' && config.lora === undefined) {
      ctx.addIssue({ code: 'custom', path: ['lora'], message: `mode "${config.mode}" needs a lora section (r, alpha, targetModules)` });
    }
    if (config.mode === 'full' && config.lora !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['lora'], message: 'mode "full" trains every weight; remove the lora section or use mode "lora"' });
    }
  });

export type FinetuneConfigInput = z.input<typeof finetuneConfigSchema>;
export type FinetuneConfig = z.output<typeof finetuneConfigSchema>;

export function parseFinetuneConfig(input: unknown, source = 'finetune config'): FinetuneConfig {
  const parsed = finetuneConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue ? formatPath(issue.path) : '';
  throw finetuneError(field || '(root)', `${source}: ${field ? `${field}: ` : ''}${issue?.message ?? parsed.error.message}`, 'Fix that field; see finetuneConfigSchema in @ferry/plugin-finetune for every option.', { code: 'CONFIG_INVALID' });
}
