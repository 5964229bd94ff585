import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, Tensor } from '@ferry/core';
import type { LlamaConfig } from '../load/llama-config.js';
import { writeSafetensors } from '../safetensors/write-safetensors.js';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, PEFT_MODULE_NAMES, peftTensorName, type LoraModuleWeights, type LoraTargetModule } from './peft-adapter.js';

export interface RandomAdapterSpec {
  r: number;
  alpha: number;
  targetModules: LoraTargetModule[];
  seed: number;
  /** Half-width of the uniform draw of A and B; default 0.2 (big enough to move the logits). */
  scale?: number;
}

/** `[out, in]` of each projection, from the config. */
export function projectionShape(config: LlamaConfig, module: LoraTargetModule): [number, number] {
  const { hiddenSize: h, intermediateSize: i, numHeads, numKvHeads, headDim: d } = config;
  const shapes: Record<LoraTargetModule, [number, number]> = { q: [numHeads * d, h], k: [numKvHeads * d, h], v: [numKvHeads * d, h], o: [h, numHeads * d], gate: [i, h], up: [i, h], down: [h, i] };
  return shapes[module];
}

/** Seeded nonzero A and B (B nonzero, unlike PEFT's init, so the adapter changes the model) for every layer and target. */
export function randomAdapterWeights(config: LlamaConfig, spec: RandomAdapterSpec): LoraModuleWeights[] {
  const rng = createRng(spec.seed);
  const width = spec.scale ?? 0.2;
  const draw = (shape: number[]): Tensor<'f32'> => new Tensor('f32', Float32Array.from({ length: shape[0]! * shape[1]! }, () => rng.uniform(-width, width)), shape);
  const out: LoraModuleWeights[] = [];
  for (let layer = 0; layer < config.numLayers; layer++) {
    for (const module of spec.targetModules) {
      const [outF, inF] = projectionShape(config, module);
      out.push({ layer, module, a: draw([spec.r, inF]), b: draw([outF, spec.r]) });
    }
  }
  return out;
}

/** Writes a PEFT adapter folder as PEFT's save_pretrained does (the keys Ferry reads, PEFT's tensor names). */
export async function writePeftFolder(dir: string, spec: Pick<RandomAdapterSpec, 'r' | 'alpha' | 'targetModules'>, weights: readonly LoraModuleWeights[], extraConfig: Record<string, unknown> = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tensors = new Map<string, Tensor>();
  for (const w of weights) {
    tensors.set(peftTensorName(w.layer, w.module, 'A'), w.a);
    tensors.set(peftTensorName(w.layer, w.module, 'B'), w.b);
  }
  await writeSafetensors(join(dir, ADAPTER_WEIGHTS_FILE), tensors, { format: 'pt' });
  const config = {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: 'fixtures/llama/tiny-llama',
    r: spec.r,
    lora_alpha: spec.alpha,
    lora_dropout: 0.05,
    target_modules: spec.targetModules.map((m) => PEFT_MODULE_NAMES[m]),
    bias: 'none',
    fan_in_fan_out: false,
    inference_mode: true,
    ...extraConfig,
  };
  await writeFile(join(dir, ADAPTER_CONFIG_FILE), JSON.stringify(config, null, 2));
}
