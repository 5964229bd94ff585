import { Tensor } from '../../tensor/tensor.js';
import { crossEntropyArgs } from '../kernel-args/cross-entropy-args.js';
import type { CrossEntropyOptions, CrossEntropyResult } from '../kernel-types.js';

/** Mean of `logsumexp(row) - row[target]` over rows whose target is not ignored. */
export function crossEntropy(logitsInput: Tensor, targetsInput: Tensor, options: CrossEntropyOptions = {}): CrossEntropyResult {
  const { logits, targets, rows, vocab, ignoreIndex } = crossEntropyArgs('crossEntropy', logitsInput, targetsInput, options);
  let total = 0;
  let count = 0;
  for (let row = 0; row < rows; row++) {
    const target = targets.data[row]!;
    if (target === ignoreIndex) continue;
    const base = row * vocab;
    total += logSumExp(logits.data, base, vocab) - logits.data[base + target]!;
    count++;
  }
  return { loss: count === 0 ? 0 : total / count, count };
}

/** (softmax(row) - onehot(target)) / count for kept rows, 0 for ignored ones. */
export function crossEntropyBackward(logitsInput: Tensor, targetsInput: Tensor, options: CrossEntropyOptions = {}): Tensor<'f32'> {
  const { logits, targets, rows, vocab, ignoreIndex } = crossEntropyArgs('crossEntropyBackward', logitsInput, targetsInput, options);
  let count = 0;
  for (let row = 0; row < rows; row++) if (targets.data[row] !== ignoreIndex) count++;
  const grad = Tensor.zeros(logits.shape, 'f32');
  for (let row = 0; row < rows; row++) {
    const target = targets.data[row]!;
    if (target === ignoreIndex) continue;
    const base = row * vocab;
    const lse = logSumExp(logits.data, base, vocab);
    for (let i = 0; i < vocab; i++) {
      grad.data[base + i] = (Math.exp(logits.data[base + i]! - lse) - (i === target ? 1 : 0)) / count;
    }
  }
  return grad;
}

function logSumExp(data: Float32Array, base: number, length: number): number {
  let max = -Infinity;
  for (let i = 0; i < length; i++) max = Math.max(max, data[base + i]!);
  let sum = 0;
  for (let i = 0; i < length; i++) sum += Math.exp(data[base + i]! - max);
  return max + Math.log(sum);
}
