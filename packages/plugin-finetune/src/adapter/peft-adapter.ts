import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, type Tensor } from '@ferry/core';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, PEFT_MODULE_NAMES, peftTensorName, writeSafetensors, type PeftAdapter } from '@ferry/llama';
import { finetuneError } from '../finetune-error.js';

// Reading lives in @ferry/llama, which serves adapters; this package writes them.
export {
  ADAPTER_CONFIG_FILE,
  ADAPTER_WEIGHTS_FILE,
  peftAdapterConfigSchema,
  peftTensorName,
  readPeftAdapter,
  type LoraModuleWeights,
  type PeftAdapter,
} from '@ferry/llama';

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
