import { Tensor } from '@ferry/core';
import type { TrainingRng } from '../train/training-rng.js';

/**
 * Bound of torch.nn.init.kaiming_uniform_(w, a) with fan_in mode and the
 * leaky_relu gain: gain = sqrt(2 / (1 + a^2)), std = gain / sqrt(fan_in),
 * bound = sqrt(3) * std. PEFT uses a = sqrt(5), which makes it 1 / sqrt(fan_in).
 */
export function kaimingUniformBound(fanIn: number, a = Math.sqrt(5)): number {
  const gain = Math.sqrt(2 / (1 + a * a));
  return Math.sqrt(3) * (gain / Math.sqrt(fanIn));
}

export interface LoraWeights {
  /** `[r, in]`, trainable. */
  a: Tensor<'f32'>;
  /** `[out, r]`, trainable. */
  b: Tensor<'f32'>;
}

/**
 * PEFT's default (`init_lora_weights=True`): A Kaiming-uniform with a = sqrt(5)
 * over its fan-in (`in`), B zero, so the adapted layer starts equal to the base.
 */
export function initLoraWeights(inFeatures: number, outFeatures: number, r: number, rng: TrainingRng): LoraWeights {
  const bound = kaimingUniformBound(inFeatures);
  const a = Tensor.zeros([r, inFeatures], 'f32');
  for (let i = 0; i < a.size; i++) a.data[i] = rng.uniform(-bound, bound);
  return { a, b: Tensor.zeros([outFeatures, r], 'f32') };
}
