import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tensor, writeFileAtomic } from '@ferry/core';
import { z } from 'zod';
import { finetuneError } from '../finetune-error.js';
import { LORA_TARGET_MODULES, PEFT_MODULE_NAMES, type LoraConfig, type LoraTargetModule } from '../lora/lora-config.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';

export const ADAPTER_CONFIG_FILE = 'adapter_config.json';
export const ADAPTER_WEIGHTS_FILE = 'adapter_model.safetensors';

/** The LoRA factors of one adapted linear layer. */
export interface LoraModuleWeights {
  layer: number;
  module: LoraTargetModule;
  /** `[r, in]`. */
  a: Tensor<'f32'>;
  /** `[out, r]`. */
  b: Tensor<'f32'>;
}

export interface PeftAdapter {
  config: LoraConfig;
  baseModel: string;
  weights: LoraModuleWeights[];
}

/** What PEFT's LoraConfig.save_pretrained writes, for the options Ferry supports. */
export const peftAdapterConfigSchema = z
  .object({
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
  })
  .passthrough();

/** PEFT's key for a LoRA factor: `base_model.model.model.layers.{i}.self_attn.q_proj.lora_A.weight`. */
export function peftTensorName(layer: number, module: LoraTargetModule, factor: 'A' | 'B'): string {
  const block = module === 'gate' || module === 'up' || module === 'down' ? 'mlp' : 'self_attn';
  return `base_model.model.model.layers.${layer}.${block}.${PEFT_MODULE_NAMES[module]}.lora_${factor}.weight`;
}

const TENSOR_NAME = /^base_model\.model\.model\.layers\.(\d+)\.(self_attn|mlp)\.([a-z_]+)\.lora_(A|B)\.weight$/;

/**
 * Writes `adapter_config.json` and `adapter_model.safetensors` as PEFT's
 * save_pretrained does, so `PeftModel.from_pretrained(base, dir)` loads them.
 * Weights first, config last: a folder with a config has its weights.
 */
export async function writePeftAdapter(dir: string, adapter: PeftAdapter): Promise<void> {
  const { config, baseModel, weights } = adapter;
  const tensors = new Map<string, Tensor>();
  for (const w of weights) {
    if (w.a.shape[0] !== config.r || w.b.shape[1] !== config.r) {
      throw finetuneError(`weights.${w.layer}.${w.module}`, `layer ${w.layer} ${w.module}: A is [${w.a.shape.join(', ')}] and B [${w.b.shape.join(', ')}], rank should be ${config.r}`, 'Write the factors the adapter was trained with, under its own LoRA config.');
    }
    tensors.set(peftTensorName(w.layer, w.module, 'A'), w.a);
    tensors.set(peftTensorName(w.layer, w.module, 'B'), w.b);
  }
  const json = {
    alpha_pattern: {},
    auto_mapping: null,
    base_model_name_or_path: baseModel,
    bias: config.bias,
    fan_in_fan_out: false,
    inference_mode: true,
    init_lora_weights: true,
    layers_pattern: null,
    layers_to_transform: null,
    lora_alpha: config.alpha,
    lora_dropout: config.dropout,
    modules_to_save: null,
    peft_type: 'LORA',
    r: config.r,
    rank_pattern: {},
    revision: null,
    target_modules: config.targetModules.map((m) => PEFT_MODULE_NAMES[m]),
    task_type: 'CAUSAL_LM',
    use_dora: false,
    use_rslora: false,
  };
  await mkdir(dir, { recursive: true });
  await writeSafetensors(join(dir, ADAPTER_WEIGHTS_FILE), tensors, { format: 'pt' });
  await writeFileAtomic(join(dir, ADAPTER_CONFIG_FILE), `${JSON.stringify(json, null, 2)}\n`);
}

/** Reads a PEFT LoRA adapter folder (Ferry's or PEFT's own), checking names and shapes against the config. */
export async function readPeftAdapter(dir: string): Promise<PeftAdapter> {
  const configPath = join(dir, ADAPTER_CONFIG_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(configPath, 'utf8'));
  } catch (error) {
    throw finetuneError(configPath, `cannot read ${configPath}: ${(error as Error).message}`, 'Point at a folder holding adapter_config.json and adapter_model.safetensors.', { cause: error });
  }
  const parsed = peftAdapterConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw finetuneError(`${configPath}:${issue?.path.join('.') ?? ''}`, `${configPath}: ${issue?.path.join('.')} ${issue?.message ?? ''}`, 'Ferry reads plain LoRA adapters for causal LMs: bias none, no rsLoRA / DoRA / rank patterns, fan_in_fan_out false, target_modules a list.', { code: 'CONFIG_INVALID' });
  }
  const c = parsed.data;
  const byPeftName = new Map(LORA_TARGET_MODULES.map((m) => [PEFT_MODULE_NAMES[m] as string, m]));
  const targetModules = c.target_modules.map((name) => {
    const module = byPeftName.get(name);
    if (module === undefined) throw finetuneError(`${configPath}:target_modules`, `target module "${name}" is not one Ferry adapts`, `Use adapters on ${[...byPeftName.keys()].join(', ')}.`, { code: 'CONFIG_INVALID' });
    return module;
  });
  const config: LoraConfig = { r: c.r, alpha: c.lora_alpha, dropout: c.lora_dropout, targetModules: LORA_TARGET_MODULES.filter((m) => targetModules.includes(m)), bias: 'none' };
  const file = await readSafetensors(join(dir, ADAPTER_WEIGHTS_FILE));
  const pairs = new Map<string, { layer: number; module: LoraTargetModule; a?: Tensor<'f32'>; b?: Tensor<'f32'> }>();
  for (const [name, tensor] of file.tensors) {
    const match = TENSOR_NAME.exec(name);
    const module = match ? byPeftName.get(match[3]!) : undefined;
    if (!match || module === undefined || !config.targetModules.includes(module) || tensor.dtype !== 'f32') {
      throw finetuneError(`${ADAPTER_WEIGHTS_FILE}:${name}`, `unexpected tensor "${name}" (${tensor.dtype}) in ${dir}`, 'The file should hold only f32 lora_A / lora_B weights of the target modules, named as PEFT saves them.');
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
      throw finetuneError(`${ADAPTER_WEIGHTS_FILE}:${peftTensorName(entry.layer, entry.module, 'A')}`, `layer ${entry.layer} ${entry.module}: lora_A and lora_B must both be present with rank ${c.r}`, 'Re-export the adapter; the file does not match its adapter_config.json.');
    }
    weights.push({ layer: entry.layer, module: entry.module, a: entry.a, b: entry.b });
  }
  weights.sort((x, y) => x.layer - y.layer || LORA_TARGET_MODULES.indexOf(x.module) - LORA_TARGET_MODULES.indexOf(y.module));
  return { config, baseModel: c.base_model_name_or_path ?? '', weights };
}
