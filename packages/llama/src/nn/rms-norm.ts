import type { Tensor } from '@ferry/core';
import { keep, type ForwardContext } from './forward-context.js';

export class RMSNorm {
  constructor(
    readonly path: string,
    readonly weight: Tensor<'f32'>,
    readonly eps: number,
  ) {}

  async forward(x: Tensor<'f32'>, ctx: ForwardContext): Promise<Tensor<'f32'>> {
    keep(ctx, this.path, 'input', x);
    return ctx.kernels.rmsnorm(x, this.weight, { eps: this.eps });
  }
}
