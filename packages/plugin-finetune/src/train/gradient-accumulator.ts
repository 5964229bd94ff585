import { Tensor } from '@ferry/core';
import { finetuneError } from '../finetune-error.js';

/**
 * Sums the gradients of `steps` micro-batches, each scaled by 1 / steps, so
 * the accumulated gradient is the mean over micro-batches: what dividing the
 * loss by gradient_accumulation_steps does in transformers' Trainer.
 */
export class GradientAccumulator {
  private readonly sums = new Map<string, Tensor<'f32'>>();
  private added = 0;

  constructor(readonly steps: number) {
    if (!Number.isInteger(steps) || steps < 1) {
      throw finetuneError('gradientAccumulationSteps', `gradient accumulation steps must be a positive integer, got ${String(steps)}`, 'Use 1 for no accumulation.');
    }
  }

  add(grads: ReadonlyMap<string, Tensor<'f32'>>): void {
    const weight = Math.fround(1 / this.steps);
    for (const [name, grad] of grads) {
      let sum = this.sums.get(name);
      if (sum === undefined) {
        sum = Tensor.zeros(grad.shape, 'f32');
        this.sums.set(name, sum);
      } else if (sum.size !== grad.size) {
        throw finetuneError(`grads.${name}`, `gradient "${name}" changed size from ${sum.size} to ${grad.size} between micro-batches`, 'Return gradients of the same parameters every micro-batch.');
      }
      for (let i = 0; i < grad.size; i++) sum.data[i]! += grad.data[i]! * weight;
    }
    this.added++;
  }

  get ready(): boolean {
    return this.added >= this.steps;
  }

  /** The accumulated gradients; the accumulator starts over empty. */
  take(): Map<string, Tensor<'f32'>> {
    const out = new Map(this.sums);
    this.sums.clear();
    this.added = 0;
    return out;
  }
}
