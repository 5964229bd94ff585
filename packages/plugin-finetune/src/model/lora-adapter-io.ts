import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@ferry/core';
import { Linear, readPeftAdapter, writeSafetensors, type LlamaModel } from '@ferry/llama';
import { writePeftAdapter } from '../adapter/peft-adapter.js';
import { mergeLoraWeight } from '../lora/lora-adapter-weights.js';
import { applyLora, type ApplyLoraOptions, type LoraModel } from './apply-lora.js';
import { llamaParameters } from './full-parameters.js';

/** Writes the adapter in PEFT's format (adapter_config.json + adapter_model.safetensors). */
export async function exportLoraAdapter(dir: string, lora: LoraModel, baseModel: string): Promise<void> {
  await writePeftAdapter(dir, { config: lora.config, baseModel, weights: lora.weights });
}

/** Reads a PEFT (or Ferry) adapter folder and applies it to a freshly loaded model. */
export async function loadLoraAdapter(model: LlamaModel, dir: string, options: Pick<ApplyLoraOptions, 'quantizeBase'> = {}): Promise<LoraModel> {
  const adapter = await readPeftAdapter(dir);
  return applyLora(model, adapter.config, { ...options, weights: adapter.weights });
}

/**
 * Folds every adapter into its base (`W + scaling B A`, NF4 bases
 * dequantised) and puts plain Linears back, as PEFT's merge_and_unload: the
 * model then computes what base + adapter did, with no LoRA branch.
 */
export async function mergeLora(lora: LoraModel): Promise<LlamaModel> {
  const { model } = lora;
  for (const { layer, module, linear } of lora.modules) {
    const weight = await mergeLoraWeight(model.kernels, linear.layer.base, linear.layer.a, linear.layer.b, linear.layer.scaling);
    const merged = new Linear(linear.path, weight, linear.bias);
    const block = model.layers[layer]!;
    if (module === 'gate' || module === 'up' || module === 'down') block.mlp[module] = merged;
    else block.attention[module] = merged;
  }
  return model;
}

/**
 * Saves the model as a Hugging Face folder `@ferry/llama` (and transformers)
 * loads: `model.safetensors` with HF tensor names (f32), plus config.json and
 * the tokenizer files copied from `sourceFolder`. Each file is written
 * atomically.
 */
export async function saveLlamaModel(dir: string, model: LlamaModel, sourceFolder: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeSafetensors(join(dir, 'model.safetensors'), llamaParameters(model), { format: 'pt' });
  const files = await readdir(sourceFolder);
  for (const file of files) {
    if (file === 'config.json' || file === 'generation_config.json' || file.startsWith('tokenizer') || file === 'special_tokens_map.json') {
      await writeFileAtomic(join(dir, file), await readFile(join(sourceFolder, file)));
    }
  }
}
