import { Tensor } from '../../tensor/tensor.js';
import { softmaxArgs, softmaxBackwardArgs } from '../kernel-args/softmax-args.js';

/** Softmax over the last dimension; the row max is subtracted first so large logits do not overflow. */
export function softmax(input: Tensor): Tensor<'f32'> {
  const { x, rows, d } = softmaxArgs(input);
  const out = Tensor.zeros(x.shape, 'f32');
  const exps = new Float64Array(d);
  for (let row = 0; row < rows; row++) {
    const base = row * d;
    let max = -Infinity;
    for (let i = 0; i < d; i++) max = Math.max(max, x.data[base + i]!);
    let sum = 0;
    for (let i = 0; i < d; i++) {
      exps[i] = Math.exp(x.data[base + i]! - max);
      sum += exps[i]!;
    }
    for (let i = 0; i < d; i++) out.data[base + i] = exps[i]! / sum;
  }
  return out;
}

/** dx = y * (dy - sum(dy * y)) per row, from the softmax output y. */
export function softmaxBackward(yInput: Tensor, dyInput: Tensor): Tensor<'f32'> {
  const { y, dy, rows, d } = softmaxBackwardArgs(yInput, dyInput);
  const dx = Tensor.zeros(y.shape, 'f32');
  for (let row = 0; row < rows; row++) {
    const base = row * d;
    let dot = 0;
    for (let i = 0; i < d; i++) dot += dy.data[base + i]! * y.data[base + i]!;
    for (let i = 0; i < d; i++) dx.data[base + i] = y.data[base + i]! * (dy.data[base + i]! - dot);
  }
  return dx;
}
