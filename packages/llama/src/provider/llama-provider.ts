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
import { LlamaAdapters } from '../adapters/llama-adapters.js';
import { LlamaTextGenerator, llamaTextOptionsSchema } from '../generate/llama-text-generator.js';
import { loadLlama, type LoadedLlama } from '../load/load-llama.js';
import type { LlamaModel } from '../nn/llama-model.js';
import { LlamaEmbedder, llamaEmbedOptionsSchema } from './llama-embedder.js';

export const LLAMA_PROVIDER_NAME = 'llama';
export const LLAMA_TASKS: readonly ModelTask[] = ['text-generation', 'embedding'];

/** The provider's settings (the plugin's config section). */
export const llamaProviderConfigSchema = z.strictObject({
  /** alias -> model folder, so configs can say `llama:tiny` instead of a path. */
  models: z.record(z.string().min(1), z.string().min(1)).default({}),
  /**
   * LoRA adapters, name -> PEFT adapter folder (adapter_config.json +
   * adapter_model.safetensors), served without merging: a request picks one
   * with the `adapter` option, on whichever model it names (the adapter must
   * fit that model's shapes).
   */
  adapters: z.record(z.string().min(1), z.string().min(1)).default({}),
  /** Folder that relative model and adapter paths start from; default the working directory (the app folder under the plugin). */
  baseDir: z.string().optional(),
});

export type LlamaProviderConfig = z.input<typeof llamaProviderConfigSchema>;

export interface LlamaProviderSettings extends LlamaProviderConfig {
  /** Kernels to run on; default js plus native when @ferry/native is built. */
  kernels?: KernelRegistry;
}

interface Served {
  loaded: LoadedLlama;
  adapters: LlamaAdapters;
}

/**
 * `llama:<folder>` or `llama:<alias>`: loads the folder once and serves
 * text generation and mean-pooled embeddings from the same weights, on the
 * base model or on any configured adapter (chosen per model or per call).
 */
export function createLlamaProvider(settings: LlamaProviderSettings = {}): ModelProvider {
  const { kernels, ...rest } = settings;
  const parsed = llamaProviderConfigSchema.safeParse(rest);
  if (!parsed.success) throw fromZodError('CONFIG_INVALID', parsed.error, { what: 'llama provider settings', plugin: '@ferry/llama' });
  const { models, adapters, baseDir = process.cwd() } = parsed.data;
  const loaded = new Map<string, Promise<Served>>();

  const pathOf = (path: string): string => {
    if (path.startsWith('~/')) return join(homedir(), path.slice(2));
    return isAbsolute(path) ? path : resolve(baseDir, path);
  };
  const folderOf = (model: string): string => pathOf(models[model] ?? model);
  const adapterFolders = Object.fromEntries(Object.entries(adapters).map(([name, path]) => [name, pathOf(path)]));

  const load = (folder: string): Promise<Served> => {
    let pending = loaded.get(folder);
    if (!pending) {
      pending = loadLlama(folder, kernels ? { kernels } : {}).then((llama) => ({ loaded: llama, adapters: new LlamaAdapters(llama.model, llama.weights, adapterFolders) }));
      // A failed load is not cached, so fixing the folder and retrying works.
      pending.catch(() => loaded.delete(folder));
      loaded.set(folder, pending);
    }
    return pending;
  };

  /** The folder's model, with `defaultAdapter` read now, so a bad one fails when the model is created rather than on its first call. */
  const serve = async (folder: string, defaultAdapter: string | undefined): Promise<Served> => {
    const served = await load(folder);
    if (defaultAdapter !== undefined) await served.adapters.model(defaultAdapter);
    return served;
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
        const settings = parseOptions(llamaTextOptionsSchema, model, options);
        const { loaded: llama, adapters: served } = await serve(folder, settings.adapter);
        return new LlamaTextGenerator(llama.model, llama.tokenizer!, metadataOf(model, task, llama.model, settings.adapter), settings, served) as unknown as ModelByTask[T];
      }
      const settings = parseOptions(llamaEmbedOptionsSchema, model, options);
      const { loaded: llama, adapters: served } = await serve(folder, settings.adapter);
      return new LlamaEmbedder(llama.model, llama.tokenizer!, metadataOf(model, task, llama.model, settings.adapter), settings, served) as unknown as ModelByTask[T];
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

function metadataOf(model: string, task: ModelTask, llama: LlamaModel, adapter: string | undefined): ModelMetadata {
  const { config } = llama;
  return {
    provider: LLAMA_PROVIDER_NAME,
    model,
    ref: `${LLAMA_PROVIDER_NAME}:${model}`,
    task,
    neural: true,
    contextLength: config.maxPositions,
    ...(task === 'embedding' ? { dims: config.hiddenSize } : {}),
    description: `${config.modelType}, ${config.numLayers} layers, hidden ${config.hiddenSize}${adapter === undefined ? '' : `, LoRA adapter "${adapter}"`}`,
  };
}
