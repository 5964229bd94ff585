import { Tensor } from '@ferry/core';
import { keep, type ForwardContext } from './forward-context.js';
import type { LinearModule } from './linear.js';

/** SwiGLU: `down(silu(gate(x)) * up(x))`; gate, up, down are swappable `LinearModule`s. */
export class MLP {
  constructor(
    readonly path: string,
    public gate: LinearModule,
    public up: LinearModule,
    public down: LinearModule,
  ) {}

  async forward(x: Tensor<'f32'>, ctx: ForwardContext): Promise<Tensor<'f32'>> {
    const gate = await this.gate.forward(x, ctx);
    const up = await this.up.forward(x, ctx);
    keep(ctx, this.path, 'gate', gate);
    keep(ctx, this.path, 'up', up);
    const activated = await ctx.kernels.silu(gate);
    // No elementwise-multiply kernel exists; in place on the fresh silu output.
    const a = activated.data;
    const u = up.data;
    for (let i = 0; i < a.length; i++) a[i]! *= u[i]!;
    return this.down.forward(new Tensor('f32', a, activated.shape), ctx);
  }
}
