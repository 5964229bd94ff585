import type { KernelOps, Tensor } from '@ferry/core';

/**
 * What a forward pass runs with. `activations`, when given, receives the
 * tensors a backward pass needs, keyed `<module path>.<name>` (e.g.
 * `layers.0.attention.q.input`): inputs of every linear and norm, the
 * post-rope q/k, v, the attention output and the MLP gate/up pre-activations.
 */
export interface ForwardContext {
  kernels: KernelOps;
  activations?: Map<string, Tensor<'f32'>>;
}

export function keep(ctx: ForwardContext, path: string, name: string, tensor: Tensor<'f32'>): void {
  ctx.activations?.set(`${path}.${name}`, tensor);
}
