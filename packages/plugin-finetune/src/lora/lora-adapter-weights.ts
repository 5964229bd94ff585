import type { KernelOps, Tensor } from '@ferry/core';
import { peftTensorName, type LoraModuleWeights } from '../adapter/peft-adapter.js';
import type { TrainingRng } from '../train/training-rng.js';
import type { LoraConfig } from './lora-config.js';
import { initLoraWeights } from './lora-init.js';
import { isNf4Weight, type LoraBaseWeight } from './lora-linear.js';
import { linearShapes, type LlamaLikeConfigInput } from './parameter-report.js';

/** Fresh PEFT-initialised factors for every target module of every decoder layer, layer by layer in module order. */
export function initLoraAdapterWeights(model: LlamaLikeConfigInput & { numHiddenLayers: number }, config: LoraConfig, rng: TrainingRng): LoraModuleWeights[] {
  const shapes = linearShapes(model);
  const weights: LoraModuleWeights[] = [];
  for (let layer = 0; layer < model.numHiddenLayers; layer++) {
    for (const module of config.targetModules) {
      const [out, inFeatures] = shapes[module];
      weights.push({ layer, module, ...initLoraWeights(inFeatures, out, config.r, rng) });
    }
  }
  return weights;
}

/** The factors as named trainable parameters (PEFT's tensor names), the form the training loop and checkpoints use. */
export function loraParameterMap(weights: readonly LoraModuleWeights[]): Map<string, Tensor<'f32'>> {
  const params = new Map<string, Tensor<'f32'>>();
  for (const w of weights) {
    params.set(peftTensorName(w.layer, w.module, 'A'), w.a);
    params.set(peftTensorName(w.layer, w.module, 'B'), w.b);
  }
  return params;
}

/**
 * `W + scaling * B A`: the base weight with the adapter folded in, so the
 * merged Linear computes what base + adapter did. An NF4 base is dequantised
 * first; the result is f32.
 */
export async function mergeLoraWeight(kernels: KernelOps, base: LoraBaseWeight, a: Tensor<'f32'>, b: Tensor<'f32'>, scaling: number): Promise<Tensor<'f32'>> {
  const weight = isNf4Weight(base) ? await kernels.dequantizeNf4(base) : base;
  return kernels.matmul(b, a, { alpha: scaling, c: weight });
}
