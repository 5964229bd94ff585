import type { Tensor } from '@ferry/core';
import type { LlamaModel } from '@ferry/llama';
import type { TrainableObjective } from '../train/train-loop.js';
import type { LoraModel } from './apply-lora.js';
import { llamaParameters } from './full-parameters.js';
import { sequenceLossAndGrads, type TrainingSequence } from './sequence-loss.js';

export type LlamaTrainingMode = { kind: 'lora'; lora: LoraModel } | { kind: 'full' };

/**
 * `trainLoop`'s objective for a `@ferry/llama` model: LoRA (the adapter's
 * factors are the parameters; dropout on while a step runs, drawn from the
 * run's rng) or full fine-tuning (every base parameter).
 */
export function llamaObjective(
  model: LlamaModel,
  mode: LlamaTrainingMode,
  evaluate?: TrainableObjective<TrainingSequence[]>['evaluate'],
): TrainableObjective<TrainingSequence[]> {
  const params: ReadonlyMap<string, Tensor<'f32'>> = mode.kind === 'lora' ? mode.lora.parameters : llamaParameters(model);
  return {
    params,
    async lossAndGrads(batch, { rng }) {
      if (mode.kind === 'lora') mode.lora.setTraining(true, rng);
      try {
        return await sequenceLossAndGrads(model, batch, mode.kind === 'lora' ? { lora: mode.lora } : { full: true });
      } finally {
        if (mode.kind === 'lora') mode.lora.setTraining(false);
      }
    },
    ...(evaluate === undefined ? {} : { evaluate }),
  };
}
