import { join } from 'node:path';
import { FerryError } from '@ferry/core';
import type { WeightMap } from '../load/load-weights.js';
import type { Linear, LinearModule } from '../nn/linear.js';
import { LlamaModel } from '../nn/llama-model.js';
import { LoraInferenceLinear } from './lora-inference-linear.js';
import { ADAPTER_WEIGHTS_FILE, peftTensorName, type LoraTargetModule, type PeftAdapter } from './peft-adapter.js';

function slot(model: LlamaModel, layer: number, module: LoraTargetModule): { get: () => LinearModule; set: (m: LinearModule) => void } {
  const block = model.layers[layer]!;
  if (module === 'gate' || module === 'up' || module === 'down') return { get: () => block.mlp[module], set: (m) => (block.mlp[module] = m) };
  return { get: () => block.attention[module], set: (m) => (block.attention[module] = m) };
}

/**
 * A model computing base + adapter: a second `LlamaModel` built over the base
 * model's own weight tensors (`weights` is the map the base was built from;
 * nothing is copied), whose adapted projections are `LoraInferenceLinear`s.
 * The base model is not touched, so requests on the base and on any number of
 * adapted models run side by side. `source` is the adapter folder, for errors.
 */
export function adaptLlama(base: LlamaModel, weights: WeightMap, adapter: PeftAdapter, source: string): LlamaModel {
  const model = new LlamaModel(base.config, weights, base.kernels);
  const file = join(source, ADAPTER_WEIGHTS_FILE);
  const { r, alpha } = adapter.config;
  const mismatch = (tensor: string, message: string): FerryError =>
    new FerryError('TENSOR_SHAPE', `${file}: ${message}`, {
      field: tensor,
      hint: `The adapter was trained on another base model${adapter.baseModel ? ` (its adapter_config.json names "${adapter.baseModel}")` : ''}: serve it on that model.`,
      details: { file, tensor },
    });
  for (const { layer, module, a, b } of adapter.weights) {
    const name = peftTensorName(layer, module, 'A');
    if (layer >= base.config.numLayers) throw mismatch(name, `tensor "${name}" is for layer ${layer} but the base model has ${base.config.numLayers} layers`);
    const place = slot(model, layer, module);
    // A freshly built model holds plain Linears.
    const linear = place.get() as Linear;
    if (a.shape.join() !== `${r},${linear.inFeatures}` || b.shape.join() !== `${linear.outFeatures},${r}`) {
      throw mismatch(name, `layer ${layer} ${module}: lora_A [${a.shape.join(', ')}] and lora_B [${b.shape.join(', ')}] do not fit the base's ${linear.outFeatures}x${linear.inFeatures} projection with r=${r}`);
    }
    place.set(new LoraInferenceLinear(linear, a, b, alpha / r));
  }
  return model;
}
