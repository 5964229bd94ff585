import type { Tensor } from '@ferry/core';
import type { ForwardContext, LinearModule } from '@ferry/llama';
import { loraLinearForward, type LoraBaseWeight, type LoraForwardCache, type LoraLinearLayer } from '../lora/lora-linear.js';
import type { TrainingRng } from '../train/training-rng.js';

/**
 * A Llama projection with a LoRA branch: takes the place of a `Linear` in
 * `@ferry/llama`'s model (the `LinearModule` seam). The base (f32 or NF4) is
 * frozen; `a` and `b` are the trainable factors. When the forward pass keeps
 * activations, the branch's cache is filed against that activation map, so
 * the backward pass of the same forward finds it and nothing outlives it.
 */
export class LoraLinearModule implements LinearModule {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** Dropout runs only while training; set by `setLoraTraining`. */
  training = false;
  rng: TrainingRng | undefined;
  private readonly caches = new WeakMap<Map<string, Tensor<'f32'>>, LoraForwardCache>();

  constructor(
    readonly path: string,
    readonly layer: LoraLinearLayer,
    /** The replaced Linear's bias (Qwen2's q/k/v), frozen. */
    readonly bias: Tensor<'f32'> | undefined,
  ) {
    [this.outFeatures, this.inFeatures] = layer.base.shape as [number, number];
  }

  get base(): LoraBaseWeight {
    return this.layer.base;
  }

  async forward(x: Tensor<'f32'>, ctx: ForwardContext): Promise<Tensor<'f32'>> {
    ctx.activations?.set(`${this.path}.input`, x);
    const { y, cache } = await loraLinearForward(ctx.kernels, this.layer, x, {
      training: this.training,
      ...(this.rng === undefined ? {} : { rng: this.rng }),
    });
    if (ctx.activations) this.caches.set(ctx.activations, cache);
    if (this.bias) {
      const n = this.bias.size;
      for (let row = 0; row < y.size; row += n) for (let j = 0; j < n; j++) y.data[row + j]! += this.bias.data[j]!;
    }
    return y;
  }

  /** The forward cache kept with `activations`; undefined when that forward kept none. */
  cacheFor(activations: Map<string, Tensor<'f32'>>): LoraForwardCache | undefined {
    return this.caches.get(activations);
  }
}
