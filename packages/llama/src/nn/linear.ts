import { Tensor } from '@ferry/core';
import { keep, type ForwardContext } from './forward-context.js';

/**
 * Anything that maps `[N, inFeatures]` to `[N, outFeatures]`. Attention and
 * MLP hold their projections through this interface, so an adapter (LoRA)
 * can wrap a `Linear` and take its place: `attn.q = new LoraLinear(attn.q)`.
 */
export interface LinearModule {
  readonly path: string;
  readonly inFeatures: number;
  readonly outFeatures: number;
  forward(x: Tensor<'f32'>, ctx: ForwardContext): Promise<Tensor<'f32'>>;
}

/** `y = x W^T + b` with W in the checkpoint's `[out, in]` layout (read transposed by the matmul kernel, never copied). */
export class Linear implements LinearModule {
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(
    readonly path: string,
    readonly weight: Tensor<'f32'>,
    readonly bias?: Tensor<'f32'>,
  ) {
    this.outFeatures = weight.shape[0]!;
    this.inFeatures = weight.shape[1]!;
  }

  async forward(x: Tensor<'f32'>, ctx: ForwardContext): Promise<Tensor<'f32'>> {
    keep(ctx, this.path, 'input', x);
    const y = await ctx.kernels.matmul(x, this.weight, { transB: true });
    if (this.bias) addRowBias(y, this.bias);
    return y;
  }
}

/** In place: the matmul kernel has no broadcasting bias, and this is O(N * out). */
function addRowBias(y: Tensor<'f32'>, bias: Tensor<'f32'>): void {
  const n = bias.size;
  const data = y.data;
  const b = bias.data;
  for (let row = 0; row < data.length; row += n) for (let j = 0; j < n; j++) data[row + j]! += b[j]!;
}
