import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FerryError, type Tensor } from '@ferry/core';
import { z } from 'zod';
import { readSafetensors, type SafetensorsFile } from '../safetensors/read-safetensors.js';

export const ADAPTER_CONFIG_FILE = 'adapter_config.json';
export const ADAPTER_WEIGHTS_FILE = 'adapter_model.safetensors';

/** The seven linear layers of a Llama decoder block a LoRA adapter can target, in PEFT's module order. */
export const LORA_TARGET_MODULES = ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] as const;
export type LoraTargetModule = (typeof LORA_TARGET_MODULES)[number];

/** PEFT / Hugging Face module name of each target (what `target_modules` holds in adapter_config.json). */
export const PEFT_MODULE_NAMES: Readonly<Record<LoraTargetModule, string>> = Object.freeze({
  q: 'q_proj',
  k: 'k_proj',
  v: 'v_proj',
  o: 'o_proj',
  gate: 'gate_proj',
  up: 'up_proj',
  down: 'down_proj',
});

const BY_PEFT_NAME = new Map<string, LoraTargetModule>(LORA_TARGET_MODULES.map((m) => [PEFT_MODULE_NAMES[m], m]));

/** The LoRA factors of one adapted linear layer. */
export interface LoraModuleWeights {
  layer: number;
  module: LoraTargetModule;
  /** `[r, in]`. */
  a: Tensor<'f32'>;
  /** `[out, r]`. */
  b: Tensor<'f32'>;
}

/** An adapter's LoRA settings, in Ferry's names (adapter_config.json's `r`, `lora_alpha`, `lora_dropout`, `target_modules`, `bias`). */
export interface PeftLoraConfig {
  r: number;
  alpha: number;
  dropout: number;
  targetModules: LoraTargetModule[];
  bias: 'none';
}

export interface PeftAdapter {
  config: PeftLoraConfig;
  /** adapter_config.json's `base_model_name_or_path` ('' when null). */
  baseModel: string;
  /** Layer by layer, in module order. */
  weights: LoraModuleWeights[];
}

/** What PEFT's LoraConfig.save_pretrained writes, for the options Ferry supports; other keys are ignored. */
export const peftAdapterConfigSchema = z.looseObject({
  peft_type: z.literal('LORA'),
  task_type: z.literal('CAUSAL_LM').nullable().default('CAUSAL_LM'),
  base_model_name_or_path: z.string().nullable().default(null),
  r: z.number().int().positive(),
  lora_alpha: z.number().positive(),
  lora_dropout: z.number().min(0).lt(1).default(0),
  target_modules: z.array(z.string()),
  bias: z.literal('none'),
  fan_in_fan_out: z.literal(false).default(false),
  use_rslora: z.literal(false).default(false),
  use_dora: z.literal(false).default(false),
  rank_pattern: z.record(z.string(), z.never()).default({}),
  alpha_pattern: z.record(z.string(), z.never()).default({}),
  modules_to_save: z.null().default(null),
});

/** PEFT's key for a LoRA factor: `base_model.model.model.layers.{i}.self_attn.q_proj.lora_A.weight`. */
export function peftTensorName(layer: number, module: LoraTargetModule, factor: 'A' | 'B'): string {
  const block = module === 'gate' || module === 'up' || module === 'down' ? 'mlp' : 'self_attn';
  return `base_model.model.model.layers.${layer}.${block}.${PEFT_MODULE_NAMES[module]}.lora_${factor}.weight`;
}

const TENSOR_NAME = /^base_model\.model\.model\.layers\.(\d+)\.(self_attn|mlp)\.([a-z_]+)\.lora_(A|B)\.weight$/;
const FOLDER_HINT = 'Point at a folder holding adapter_config.json and adapter_model.safetensors, as PEFT\'s save_pretrained or `ferry finetune export` writes them.';

async function readConfigJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FerryError('MODEL_NOT_FOUND', `cannot read ${path}: ${(error as Error).message}`, { field: ADAPTER_CONFIG_FILE, hint: FOLDER_HINT, details: { file: path }, cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FerryError('CONFIG_INVALID', `${path} is not JSON (${(error as Error).message})`, { field: ADAPTER_CONFIG_FILE, hint: 'Export the adapter again; the file is damaged.', details: { file: path } });
  }
}

async function readWeightsFile(path: string): Promise<SafetensorsFile> {
  try {
    return await readSafetensors(path);
  } catch (error) {
    if (error instanceof FerryError) throw error;
    throw new FerryError('MODEL_NOT_FOUND', `cannot read ${path}: ${(error as Error).message}`, { field: ADAPTER_WEIGHTS_FILE, hint: FOLDER_HINT, details: { file: path }, cause: error });
  }
}

/**
 * Reads a PEFT LoRA adapter folder (Ferry's or PEFT's own): the config
 * zod-checked, every tensor named as PEFT names it, and both factors of each
 * module present with the config's rank. F16 and BF16 factors are widened to
 * f32. Shapes against a base model are checked where the adapter is applied.
 */
export async function readPeftAdapter(dir: string): Promise<PeftAdapter> {
  const configPath = join(dir, ADAPTER_CONFIG_FILE);
  const parsed = peftAdapterConfigSchema.safeParse(await readConfigJson(configPath));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join('.');
    throw new FerryError('CONFIG_INVALID', `${configPath}: ${key} ${issue.message}`, {
      field: key,
      hint: 'Ferry reads plain LoRA adapters for causal LMs: bias none, no rsLoRA / DoRA / rank patterns / modules_to_save, fan_in_fan_out false, target_modules a list.',
      details: { file: configPath },
    });
  }
  const c = parsed.data;
  const targetModules = c.target_modules.map((name) => {
    const module = BY_PEFT_NAME.get(name);
    if (module === undefined) {
      throw new FerryError('CONFIG_INVALID', `${configPath}: target module "${name}" is not one Ferry adapts`, {
        field: 'target_modules',
        hint: `Use adapters on ${[...BY_PEFT_NAME.keys()].join(', ')}.`,
        details: { file: configPath },
      });
    }
    return module;
  });
  const config: PeftLoraConfig = { r: c.r, alpha: c.lora_alpha, dropout: c.lora_dropout, targetModules: LORA_TARGET_MODULES.filter((m) => targetModules.includes(m)), bias: 'none' };
  const weightsPath = join(dir, ADAPTER_WEIGHTS_FILE);
  const file = await readWeightsFile(weightsPath);
  const pairs = new Map<string, { layer: number; module: LoraTargetModule; a?: Tensor<'f32'>; b?: Tensor<'f32'> }>();
  for (const [name, tensor] of file.tensors) {
    const match = TENSOR_NAME.exec(name);
    const module = match ? BY_PEFT_NAME.get(match[3]!) : undefined;
    if (!match || module === undefined || !config.targetModules.includes(module) || tensor.dtype !== 'f32' || tensor.shape.length !== 2) {
      throw new FerryError('INPUT_INVALID', `${weightsPath}: unexpected tensor "${name}" (${tensor.dtype} [${tensor.shape.join(', ')}])`, {
        field: name,
        hint: 'The file should hold only 2-D float lora_A / lora_B weights of the target_modules in adapter_config.json, named as PEFT saves them.',
        details: { file: weightsPath, tensor: name },
      });
    }
    const key = `${match[1]}.${module}`;
    const entry = pairs.get(key) ?? { layer: Number(match[1]), module };
    if (match[4] === 'A') entry.a = tensor as Tensor<'f32'>;
    else entry.b = tensor as Tensor<'f32'>;
    pairs.set(key, entry);
  }
  const weights: LoraModuleWeights[] = [];
  for (const entry of pairs.values()) {
    if (entry.a === undefined || entry.b === undefined || entry.a.shape[0] !== c.r || entry.b.shape[1] !== c.r) {
      const name = peftTensorName(entry.layer, entry.module, entry.a === undefined ? 'A' : 'B');
      throw new FerryError('INPUT_INVALID', `${weightsPath}: layer ${entry.layer} ${entry.module}: lora_A and lora_B must both be present with rank ${c.r}`, {
        field: name,
        hint: 'Re-export the adapter; adapter_model.safetensors does not match its adapter_config.json.',
        details: { file: weightsPath, tensor: name },
      });
    }
    weights.push({ layer: entry.layer, module: entry.module, a: entry.a, b: entry.b });
  }
  weights.sort((x, y) => x.layer - y.layer || LORA_TARGET_MODULES.indexOf(x.module) - LORA_TARGET_MODULES.indexOf(y.module));
  return { config, baseModel: c.base_model_name_or_path ?? '', weights };
}
