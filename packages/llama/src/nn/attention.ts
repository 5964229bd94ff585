import type { Tensor } from '@ferry/core';
import type { LlamaConfig } from '../load/llama-config.js';
import { keep, type ForwardContext } from './forward-context.js';
import type { KvCache } from './kv-cache.js';
import type { LinearModule } from './linear.js';
import type { RotaryEmbedding } from './rotary.js';

export interface AttentionStep {
  /** Position of the first token of `x`. */
  positionOffset: number;
  /** When given, keys/values are appended to it and attention sees everything cached. */
  cache?: KvCache;
  layer: number;
}

/** Grouped-query self-attention; q, k, v, o are swappable `LinearModule`s (the LoRA seam). */
export class Attention {
  constructor(
    readonly path: string,
    public q: LinearModule,
    public k: LinearModule,
    public v: LinearModule,
    public o: LinearModule,
    readonly rotary: RotaryEmbedding,
    readonly config: Pick<LlamaConfig, 'numHeads' | 'numKvHeads' | 'headDim'>,
  ) {}

  /** x `[T, hidden]` -> `[T, hidden]`, causal. */
  async forward(x: Tensor<'f32'>, step: AttentionStep, ctx: ForwardContext): Promise<Tensor<'f32'>> {
    const { numHeads, numKvHeads, headDim } = this.config;
    const time = x.shape[0]!;
    const [q, k, v] = [await this.q.forward(x, ctx), await this.k.forward(x, ctx), await this.v.forward(x, ctx)];
    const qr = await this.rotary.apply(q.reshape([1, time, numHeads, headDim]), step.positionOffset, ctx);
    const kr = await this.rotary.apply(k.reshape([1, time, numKvHeads, headDim]), step.positionOffset, ctx);
    const vr = v.reshape([1, time, numKvHeads, headDim]);
    keep(ctx, this.path, 'q', qr);
    keep(ctx, this.path, 'k', kr);
    keep(ctx, this.path, 'v', vr);
    const seen = step.cache ? step.cache.append(step.layer, kr, vr) : { keys: kr, values: vr };
    // The kernel aligns the causal mask to the end, so cached keys are all visible to the new queries.
    const attended = await ctx.kernels.attention(qr, seen.keys, seen.values, { causal: true });
    const merged = attended.reshape([time, numHeads * headDim]);
    keep(ctx, this.path, 'output', merged);
    return this.o.forward(merged, ctx);
  }
}
