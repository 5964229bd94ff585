import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import {
  FerryError,
  fromZodError,
  type KernelRegistry,
  type ModelByTask,
  type ModelMetadata,
  type ModelProvider,
  type ModelTask,
} from '@ferry/core';
import { z } from 'zod';
import { llamaSamplingSchema, LlamaTextGenerator } from '../generate/llama-text-generator.js';
import { loadLlama, type LoadedLlama } from '../load/load-llama.js';
import type { LlamaModel } from '../nn/llama-model.js';
import { LlamaEmbedder } from './llama-embedder.js';

export const LLAMA_PROVIDER_NAME = 'llama';
export const LLAMA_TASKS: readonly ModelTask[] = ['text-generation', 'embedding'];

/** The provider's settings (the plugin's config section). */
export const llamaProviderConfigSchema = z.strictObject({
  /** alias -> model folder, so configs can say `llama:tiny` instead of a path. */
  models: z.record(z.string().min(1), z.string().min(1)).default({}),
  /** Folder that relative model paths start from; default the working directory (the app folder under the plugin). */
  baseDir: z.string().optional(),
});

export type LlamaProviderConfig = z.input<typeof llamaProviderConfigSchema>;

export interface LlamaProviderSettings extends LlamaProviderConfig {
  /** Kernels to run on; default js plus native when @ferry/native is built. */
  kernels?: KernelRegistry;
}

const embeddingOptionsSchema = z.strictObject({
  /** Tokens per text; longer texts are cut. */
  maxLength: z.number().int().min(1).optional(),
});

/**
 * `llama:<folder>` or `llama:<alias>`: loads the folder once and serves
 * text generation and mean-pooled embeddings from the same weights.
 */
export function createLlamaProvider(settings: LlamaProviderSettings = {}): ModelProvider {
  const { kernels, ...rest } = settings;
  const parsed = llamaProviderConfigSchema.safeParse(rest);
  if (!parsed.success) throw fromZodError('CONFIG_INVALID', parsed.error, { what: 'llama provider settings', plugin: '@ferry/llama' });
  const { models, baseDir = process.cwd() } = parsed.data;
  const loaded = new Map<string, Promise<LoadedLlama>>();

  const folderOf = (model: string): string => {
    const path = models[model] ?? model;
    if (path.startsWith('~/')) return join(homedir(), path.slice(2));
    return isAbsolute(path) ? path : resolve(baseDir, path);
  };

  const load = (folder: string): Promise<LoadedLlama> => {
    let pending = loaded.get(folder);
    if (!pending) {
      pending = loadLlama(folder, kernels ? { kernels } : {});
      // A failed load is not cached, so fixing the folder and retrying works.
      pending.catch(() => loaded.delete(folder));
      loaded.set(folder, pending);
    }
    return pending;
  };

  return {
    name: LLAMA_PROVIDER_NAME,
    description: 'Llama-family decoders (Llama 2/3, Mistral, Qwen2, TinyLlama) from Hugging Face safetensors folders, on Ferry kernels',
    tasks: LLAMA_TASKS,
    async create<T extends ModelTask>(task: T, model: string, options: Record<string, unknown> = {}): Promise<ModelByTask[T]> {
      if (task !== 'text-generation' && task !== 'embedding') {
        throw new FerryError('MODEL_TASK_UNSUPPORTED', `the llama provider has no ${task} models (it serves: ${LLAMA_TASKS.join(', ')})`, {
          field: 'model',
          hint: `Use a provider with ${task} models, e.g. "transformers:".`,
        });
      }
      const folder = folderOf(model);
      if (task === 'text-generation') {
        const sampling = parseOptions(llamaSamplingSchema, model, options);
        const { model: llama, tokenizer } = await load(folder);
        return new LlamaTextGenerator(llama, tokenizer!, metadataOf(model, task, llama), sampling) as unknown as ModelByTask[T];
      }
      const { maxLength } = parseOptions(embeddingOptionsSchema, model, options);
      const { model: llama, tokenizer } = await load(folder);
      return new LlamaEmbedder(llama, tokenizer!, metadataOf(model, task, llama), maxLength) as unknown as ModelByTask[T];
    },
    listModels: () =>
      Object.keys(models).flatMap((alias) =>
        LLAMA_TASKS.map((task) => ({ provider: LLAMA_PROVIDER_NAME, model: alias, ref: `${LLAMA_PROVIDER_NAME}:${alias}`, task, neural: true })),
      ),
    dispose: () => {
      loaded.clear();
    },
  };
}

function parseOptions<S extends z.ZodType>(schema: S, model: string, options: Record<string, unknown>): z.output<S> {
  const checked = schema.safeParse(options);
  if (!checked.success) throw fromZodError('INPUT_INVALID', checked.error, { what: `options of llama:${model}`, fieldPrefix: 'options' });
  return checked.data;
}

function metadataOf(model: string, task: ModelTask, llama: LlamaModel): ModelMetadata {
  const { config } = llama;
  return {
    provider: LLAMA_PROVIDER_NAME,
    model,
    ref: `${LLAMA_PROVIDER_NAME}:${model}`,
    task,
    neural: true,
    contextLength: config.maxPositions,
    ...(task === 'embedding' ? { dims: config.hiddenSize } : {}),
    description: `${config.modelType}, ${config.numLayers} layers, hidden ${config.hiddenSize}`,
  };
}
