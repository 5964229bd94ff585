import type { Tensor } from '@ferry/core';
import type { ForwardContext } from '../nn/forward-context.js';
import type { Linear, LinearModule } from '../nn/linear.js';

/**
 * A base `Linear` plus a frozen LoRA branch, for serving:
 * `y = base(x) + scaling * (x A^T) B^T`, the base weight read in place (never
 * copied or merged), both products on the registry's matmul kernel. The same
 * order of kernel calls as the training-time LoRA forward, so a served adapter
 * reproduces its training logits exactly (for bias-free projections).
 */
export class LoraInferenceLinear implements LinearModule {
  readonly path: string;
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(
    readonly base: Linear,
    /** `[r, in]`. */
    readonly a: Tensor<'f32'>,
    /** `[out, r]`. */
    readonly b: Tensor<'f32'>,
    /** lora_alpha / r. */
    readonly scaling: number,
  ) {
    this.path = base.path;
    this.inFeatures = base.inFeatures;
    this.outFeatures = base.outFeatures;
  }

  async forward(x: Tensor<'f32'>, ctx: ForwardContext): Promise<Tensor<'f32'>> {
    const y = await this.base.forward(x, ctx);
    const h = await ctx.kernels.matmul(x, this.a, { transB: true });
    return ctx.kernels.matmul(h, this.b, { transB: true, alpha: this.scaling, c: y });
  }
}
