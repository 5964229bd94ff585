import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { FerryError, fromZodError, type GenerateOptions, type GenerationResult, type ImageInput, type ModelMetadata, type VisionLanguageModel } from '@ferry/core';
import type { PreTrainedModel, PreTrainedTokenizer, Processor, Tensor } from '@huggingface/transformers';
import { z } from 'zod';
import { loadImage, loadImageOptionsSchema, type LoadImageOptions } from '../images/load-image.js';

const TRANSFORMERS_PACKAGE = '@huggingface/transformers';
type Transformers = typeof import('@huggingface/transformers');

export const transformersVisionOptionsSchema = z.strictObject({
  /** A local model folder in transformers.js's layout (config.json, preprocessor_config.json, tokenizer.json, onnx/). */
  folder: z.string().min(1),
  device: z.enum(['cpu', 'cuda']).default('cpu'),
  /** `fp32` loads onnx/<name>.onnx, `q8` onnx/<name>_quantized.onnx. */
  dtype: z.enum(['fp32', 'q8']).default('fp32'),
  /** New tokens when a call gives no maxTokens. */
  maxTokens: z.number().int().min(1).max(4096).default(64),
  /** Limits for the images it reads. */
  images: loadImageOptionsSchema.optional(),
});

export type TransformersVisionOptions = z.input<typeof transformersVisionOptionsSchema>;

/** model_type -> the ONNX files transformers.js loads for it. */
const SUPPORTED: Record<string, string[]> = {
  'vision-encoder-decoder': ['encoder_model', 'decoder_model_merged'],
};

async function importTransformers(): Promise<Transformers> {
  try {
    return (await import(TRANSFORMERS_PACKAGE)) as Transformers;
  } catch (cause) {
    throw new FerryError('PLUGIN_LOAD_FAILED', `cannot load ${TRANSFORMERS_PACKAGE} for a local vision-language model`, {
      plugin: '@ferry/plugin-multimodal',
      hint: `Install ${TRANSFORMERS_PACKAGE} (4.x) next to @ferry/plugin-multimodal.`,
      cause,
    });
  }
}

function readModelType(folder: string): string {
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'));
  } catch (cause) {
    throw new FerryError('INPUT_INVALID', `${folder} has no readable config.json`, { field: 'folder', hint: 'Give a model folder in transformers.js layout (config.json, preprocessor_config.json, tokenizer.json, onnx/).', cause });
  }
  const type = (config as { model_type?: unknown }).model_type;
  return typeof type === 'string' ? type : '';
}

/**
 * Image-to-text through transformers.js (`AutoModelForVision2Seq`, what its
 * `image-to-text` pipeline runs), for VisionEncoderDecoder captioners such as
 * Xenova/vit-gpt2-image-captioning. Such a model reads the image only, not
 * the question: its answer is the caption it generates (greedy unless a
 * temperature is given), `finishReason` `stop` at end-of-text and `length`
 * at the token limit.
 */
export class TransformersVisionModel implements VisionLanguageModel {
  constructor(
    readonly metadata: ModelMetadata,
    private readonly tf: Transformers,
    private readonly processor: Processor,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
    private readonly settings: { maxTokens: number; images: LoadImageOptions; eos: number[] },
  ) {}

  async answer(image: ImageInput, _question: string, options: GenerateOptions = {}): Promise<GenerationResult> {
    options.signal?.throwIfAborted();
    const loaded = await loadImage(image, { ...this.settings.images, ...(options.signal ? { signal: options.signal } : {}) });
    const raw = new this.tf.RawImage(Uint8ClampedArray.from(loaded.data), loaded.width, loaded.height, loaded.channels as 1 | 2 | 3 | 4);
    const { pixel_values } = (await this.processor(raw)) as { pixel_values: Tensor };
    const maxTokens = options.maxTokens ?? this.settings.maxTokens;
    const sample = options.temperature !== undefined && options.temperature > 0;
    const interrupt = new this.tf.InterruptableStoppingCriteria();
    const onAbort = (): void => interrupt.interrupt();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let sequences: Tensor;
    try {
      sequences = (await this.model.generate({
        inputs: pixel_values,
        max_new_tokens: maxTokens,
        do_sample: sample,
        ...(sample ? { temperature: options.temperature, ...(options.topP === undefined ? {} : { top_p: options.topP }) } : {}),
        stopping_criteria: [interrupt],
      } as Parameters<PreTrainedModel['generate']>[0])) as Tensor;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    options.signal?.throwIfAborted();
    // The decoder starts from one start token; everything after it is generated.
    const ids = Array.from(sequences.data as BigInt64Array, Number).slice(1);
    const ended = ids.length > 0 && this.settings.eos.includes(ids[ids.length - 1] ?? -1);
    let text = this.tokenizer.decode(ids, { skip_special_tokens: true }).trim();
    let stopped = ended;
    for (const stop of options.stop ?? []) {
      const at = stop === '' ? -1 : text.indexOf(stop);
      if (at >= 0) {
        text = text.slice(0, at).trimEnd();
        stopped = true;
      }
    }
    return {
      text,
      finishReason: stopped || ids.length < maxTokens ? 'stop' : 'length',
      usage: { promptTokens: 1, completionTokens: ids.length, totalTokens: 1 + ids.length },
      model: this.metadata,
    };
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}

/** Loads a local VisionEncoderDecoder folder; every missing piece is named with how to get it. */
export async function createTransformersVisionModel(options: TransformersVisionOptions): Promise<TransformersVisionModel> {
  const parsed = transformersVisionOptionsSchema.safeParse(options);
  if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what: 'transformers vision model options', fieldPrefix: 'options', hint: 'Pass { folder } with a local model folder, and optionally device, dtype, maxTokens, images.' });
  const { device, dtype, maxTokens, images } = parsed.data;
  const folder = resolve(parsed.data.folder);
  const modelType = readModelType(folder);
  const sessions = SUPPORTED[modelType];
  if (sessions === undefined) {
    throw new FerryError('MODEL_TASK_UNSUPPORTED', `${folder} is a "${modelType}" model; local visual QA runs VisionEncoderDecoder image-to-text models (model_type "vision-encoder-decoder")`, {
      field: 'folder',
      hint: 'Use a transformers.js export of an image captioner such as Xenova/vit-gpt2-image-captioning, or an OpenAI-compatible vision model.',
    });
  }
  const suffix = dtype === 'q8' ? '_quantized' : '';
  const required = ['preprocessor_config.json', 'tokenizer.json', ...sessions.map((s) => `onnx/${s}${suffix}.onnx`)];
  const missing = required.filter((file) => !existsSync(join(folder, file)));
  if (missing.length > 0) {
    throw new FerryError('INPUT_INVALID', `${folder} lacks ${missing.join(', ')}`, {
      field: 'folder',
      hint: 'Export the model with optimum ("optimum-cli export onnx --task image-to-text-with-past") or download a Xenova/onnx-community conversion; dtype "q8" needs the *_quantized.onnx files.',
      details: { missing },
    });
  }
  const tf = await importTransformers();
  const pretrained = { device, dtype, local_files_only: true } as const;
  let parts: [Processor, PreTrainedTokenizer, PreTrainedModel];
  try {
    parts = await Promise.all([
      tf.AutoProcessor.from_pretrained(folder, pretrained),
      tf.AutoTokenizer.from_pretrained(folder, pretrained),
      tf.AutoModelForVision2Seq.from_pretrained(folder, pretrained),
    ]);
  } catch (cause) {
    throw new FerryError('INPUT_INVALID', `could not load ${folder} as an image-to-text model: ${(cause as Error).message}`, {
      field: 'folder',
      hint: 'Check that the folder is a transformers.js export (e.g. Xenova/vit-gpt2-image-captioning): config.json with encoder and decoder, onnx/encoder_model.onnx, onnx/decoder_model_merged.onnx.',
      cause,
    });
  }
  const [processor, tokenizer, model] = parts;
  const eosId = (model.generation_config as { eos_token_id?: number | number[] } | null)?.eos_token_id ?? (model.config as { eos_token_id?: number | number[] }).eos_token_id;
  const eos = eosId === undefined ? [] : Array.isArray(eosId) ? eosId : [eosId];
  const name = basename(folder);
  const metadata: ModelMetadata = {
    provider: 'transformers',
    model: name,
    ref: `transformers:${folder}`,
    task: 'vision-language',
    neural: true,
    description: `${name} (image-to-text, ${modelType}) through transformers.js on ${device}, ${dtype}: answers with the caption it generates; the question is not read`,
  };
  return new TransformersVisionModel(metadata, tf, processor, tokenizer, model, { maxTokens, images: images ?? {}, eos });
}
