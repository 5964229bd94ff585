import type { Tensor } from '@ferry/core';
import type { Attention, AttentionStep } from './attention.js';
import type { ForwardContext } from './forward-context.js';
import type { MLP } from './mlp.js';
import type { RMSNorm } from './rms-norm.js';

/** Pre-norm block: `x + attn(norm(x))`, then `+ mlp(norm(.))`. */
export class DecoderLayer {
  constructor(
    readonly path: string,
    readonly inputNorm: RMSNorm,
    public attention: Attention,
    readonly postAttentionNorm: RMSNorm,
    public mlp: MLP,
  ) {}

  async forward(x: Tensor<'f32'>, step: AttentionStep, ctx: ForwardContext): Promise<Tensor<'f32'>> {
    const attended = await this.attention.forward(await this.inputNorm.forward(x, ctx), step, ctx);
    const residual = addInto(attended, x);
    const mixed = await this.mlp.forward(await this.postAttentionNorm.forward(residual, ctx), ctx);
    return addInto(mixed, residual);
  }
}

/** `target += other`, returning target; both are fresh outputs of this forward, so reuse is safe. */
function addInto(target: Tensor<'f32'>, other: Tensor<'f32'>): Tensor<'f32'> {
  const t = target.data;
  const o = other.data;
  for (let i = 0; i < t.length; i++) t[i]! += o[i]!;
  return target;
}
