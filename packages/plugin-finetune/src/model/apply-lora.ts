import type { Tensor } from '@ferry/core';
import { Linear, type LinearModule, type LlamaModel } from '@ferry/llama';
import type { LoraModuleWeights } from '../adapter/peft-adapter.js';
import { finetuneError } from '../finetune-error.js';
import { loraParameterMap } from '../lora/lora-adapter-weights.js';
import { loraScaling, parseLoraConfig, type LoraConfig, type LoraTargetModule } from '../lora/lora-config.js';
import { initLoraWeights } from '../lora/lora-init.js';
import { TrainingRng } from '../train/training-rng.js';
import { LoraLinearModule } from './lora-linear-module.js';

export interface ApplyLoraOptions {
  /** Seeds A's Kaiming-uniform draw (PEFT's init: B zero). Default 42. */
  seed?: number;
  /** 'nf4': freeze the base in NF4 with double-quantised constants (QLoRA). Default: f32. */
  quantizeBase?: 'nf4';
  /** Start from these factors (a loaded adapter) instead of fresh ones; every target module of every layer must be present. */
  weights?: readonly LoraModuleWeights[];
}

export interface LoraModel {
  model: LlamaModel;
  config: LoraConfig;
  /** Every adapted projection, layer by layer in module order. */
  modules: { layer: number; module: LoraTargetModule; linear: LoraLinearModule }[];
  /** The factors (the tensors the modules train), for `writePeftAdapter`. */
  weights: LoraModuleWeights[];
  /** The same tensors under PEFT's names: the trainable parameters. */
  parameters: Map<string, Tensor<'f32'>>;
  /** Turns LoRA dropout on (with the run's rng) or off. */
  setTraining(training: boolean, rng?: TrainingRng): void;
}

function slot(model: LlamaModel, layer: number, module: LoraTargetModule): { get: () => LinearModule; set: (m: LinearModule) => void } {
  const block = model.layers[layer]!;
  if (module === 'gate' || module === 'up' || module === 'down') {
    return { get: () => block.mlp[module], set: (m) => (block.mlp[module] = m) };
  }
  return { get: () => block.attention[module], set: (m) => (block.attention[module] = m) };
}

/**
 * Replaces the chosen projections of every decoder layer with LoRA layers, as
 * PEFT's get_peft_model does: the base weight frozen (f32, or NF4 for QLoRA),
 * A Kaiming-uniform, B zero, scaling alpha / r. The model is changed in place
 * and keeps working for generation; `parameters` are what training updates.
 */
export async function applyLora(model: LlamaModel, loraConfig: unknown, options: ApplyLoraOptions = {}): Promise<LoraModel> {
  const config = parseLoraConfig(loraConfig);
  const rng = new TrainingRng(options.seed ?? 42);
  const given = new Map(options.weights?.map((w) => [`${w.layer}.${w.module}`, w]));
  const modules: LoraModel['modules'] = [];
  const weights: LoraModuleWeights[] = [];
  for (let layer = 0; layer < model.layers.length; layer++) {
    for (const module of config.targetModules) {
      const place = slot(model, layer, module);
      const current = place.get();
      if (!(current instanceof Linear)) {
        throw finetuneError(`layers.${layer}.${module}`, `${current.path} is not a plain Linear (already adapted?)`, 'Apply LoRA once, to a freshly loaded model.');
      }
      const factors = options.weights ? given.get(`${layer}.${module}`) : { layer, module, ...initLoraWeights(current.inFeatures, current.outFeatures, config.r, rng) };
      if (factors === undefined) {
        throw finetuneError('weights', `the adapter has no factors for layer ${layer} ${module}`, 'Load an adapter made for this model and these target modules.');
      }
      if (factors.a.shape.join() !== `${config.r},${current.inFeatures}` || factors.b.shape.join() !== `${current.outFeatures},${config.r}`) {
        throw finetuneError('weights', `layer ${layer} ${module}: factors [${factors.a.shape.join(', ')}] / [${factors.b.shape.join(', ')}] do not fit a ${current.outFeatures}x${current.inFeatures} projection with r=${config.r}`, 'Load an adapter made for this model.');
      }
      const base = options.quantizeBase === 'nf4' ? await model.kernels.quantizeNf4(current.weight) : current.weight;
      const linear = new LoraLinearModule(current.path, { base, a: factors.a, b: factors.b, scaling: loraScaling(config), dropout: config.dropout }, current.bias);
      place.set(linear);
      modules.push({ layer, module, linear });
      weights.push({ layer, module, a: factors.a, b: factors.b });
    }
  }
  return {
    model,
    config,
    modules,
    weights,
    parameters: loraParameterMap(weights),
    setTraining(training, trainingRng) {
      for (const { linear } of modules) {
        linear.training = training;
        linear.rng = trainingRng;
      }
    },
  };
}
