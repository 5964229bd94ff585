import type { Tensor } from '@ferry/core';

/**
 * torch.nn.utils.clip_grad_norm_ with the L2 norm: the norm over all
 * gradients together; when it exceeds maxNorm every gradient is scaled in
 * place by maxNorm / (norm + 1e-6). Returns the norm before clipping.
 */
export function clipGradNorm(grads: Iterable<Tensor<'f32'>>, maxNorm: number): number {
  const list = [...grads];
  let squares = 0;
  for (const grad of list) for (let i = 0; i < grad.size; i++) squares += grad.data[i]! * grad.data[i]!;
  const norm = Math.sqrt(squares);
  const coefficient = maxNorm / (norm + 1e-6);
  if (coefficient < 1) {
    const factor = Math.fround(coefficient);
    for (const grad of list) for (let i = 0; i < grad.size; i++) grad.data[i]! *= factor;
  }
  return norm;
}
