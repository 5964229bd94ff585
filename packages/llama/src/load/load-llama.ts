import { resolve } from 'node:path';
import { defaultKernels, type KernelRegistry } from '@ferry/core';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { LlamaModel } from '../nn/llama-model.js';
import { readLlamaConfig } from './llama-config.js';
import { loadTokenizer } from './load-tokenizer.js';
import { loadWeights, type WeightMap } from './load-weights.js';

export interface LoadLlamaOptions {
  /** Registry whose kernels run the model; default: js plus native when @ferry/native is built. */
  kernels?: KernelRegistry;
  /** Skip the tokenizer (for token-id level use); default true. */
  tokenizer?: boolean;
}

export interface LoadedLlama {
  folder: string;
  model: LlamaModel;
  tokenizer: PreTrainedTokenizer | undefined;
  /** The tensors `model` was built from (the same objects), for building adapted models over them (`LlamaAdapters`). */
  weights: WeightMap;
}

/** Loads a Hugging Face Llama-family folder: config.json, safetensors weights (f32/f16/bf16, single or sharded), tokenizer. */
export async function loadLlama(folder: string, options: LoadLlamaOptions = {}): Promise<LoadedLlama> {
  const root = resolve(folder);
  const config = await readLlamaConfig(root);
  const weights = await loadWeights(root, config);
  const tokenizer = options.tokenizer === false ? undefined : await loadTokenizer(root);
  const registry = options.kernels ?? (await defaultKernels());
  return { folder: root, model: new LlamaModel(config, weights, registry.ops), tokenizer, weights };
}
