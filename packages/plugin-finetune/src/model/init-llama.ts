import { Tensor, type KernelOps } from '@ferry/core';
import { expectedTensors, LlamaModel, parseLlamaConfig } from '@ferry/llama';
import { TrainingRng } from '../train/training-rng.js';

/**
 * A Llama-family model with fresh weights, for pretraining a small model
 * from scratch (full fine-tuning mode): linears and embeddings normal with
 * std `initStd` (transformers' `initializer_range`, 0.02), norms 1. `raw` is
 * a config.json object, validated as `@ferry/llama` validates one.
 */
export function initLlamaModel(raw: Record<string, unknown>, kernels: KernelOps, options: { seed?: number; initStd?: number } = {}): LlamaModel {
  const config = parseLlamaConfig(raw, 'config');
  const rng = new TrainingRng(options.seed ?? 42);
  const std = options.initStd ?? 0.02;
  const weights = new Map<string, Tensor<'f32'>>();
  for (const [name, shape] of expectedTensors(config)) {
    const tensor = Tensor.zeros(shape, 'f32');
    if (name.endsWith('norm.weight')) tensor.data.fill(1);
    else if (!name.endsWith('.bias')) {
      for (let i = 0; i < tensor.size; i += 2) {
        // Box-Muller: two normals per pair of uniforms.
        const radius = Math.sqrt(-2 * Math.log(1 - rng.next())) * std;
        const angle = 2 * Math.PI * rng.next();
        tensor.data[i] = radius * Math.cos(angle);
        if (i + 1 < tensor.size) tensor.data[i + 1] = radius * Math.sin(angle);
      }
    }
    weights.set(name, tensor);
  }
  return new LlamaModel(config, weights, kernels);
}
