import { formatShape } from '../../tensor/tensor-shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { badInput, checkNumber, checkShapeEquals, checkTensor } from '../kernel-checks.js';
import type { CrossEntropyOptions, CrossEntropyResult } from '../kernel-types.js';

/** Mean of `logsumexp(row) - row[target]` over rows whose target is not ignored. */
export function crossEntropy(logits: Tensor, targets: Tensor, options: CrossEntropyOptions = {}): CrossEntropyResult {
  checkTensor('crossEntropy', 'logits', logits, 'f32', [2]);
  checkTensor('crossEntropy', 'targets', targets, 'i32', [1]);
  const { rows, vocab, ignoreIndex } = check('crossEntropy', logits, targets, options);
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
export function crossEntropyBackward(logits: Tensor, targets: Tensor, options: CrossEntropyOptions = {}): Tensor<'f32'> {
  checkTensor('crossEntropyBackward', 'logits', logits, 'f32', [2]);
  checkTensor('crossEntropyBackward', 'targets', targets, 'i32', [1]);
  const { rows, vocab, ignoreIndex } = check('crossEntropyBackward', logits, targets, options);
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

function check(kernel: string, logits: Tensor, targets: Tensor<'i32'>, options: CrossEntropyOptions) {
  const [rows, vocab] = logits.shape as [number, number];
  checkShapeEquals(kernel, 'targets', targets, [rows], `one target per row of logits ${formatShape(logits.shape)}`);
  const ignoreIndex = options.ignoreIndex ?? -100;
  checkNumber(kernel, 'options.ignoreIndex', ignoreIndex, { integer: true });
  for (let row = 0; row < rows; row++) {
    const target = targets.data[row]!;
    if (target !== ignoreIndex && (target < 0 || target >= vocab)) {
      throw badInput(kernel, 'targets', `targets[${row}] = ${target} is outside the vocabulary [0, ${vocab})`, `Use class ids below ${vocab}, or ${ignoreIndex} (ignoreIndex) for rows that carry no loss.`);
    }
  }
  return { rows, vocab, ignoreIndex };
}

function logSumExp(data: Float32Array, base: number, length: number): number {
  let max = -Infinity;
  for (let i = 0; i < length; i++) max = Math.max(max, data[base + i]!);
  let sum = 0;
  for (let i = 0; i < length; i++) sum += Math.exp(data[base + i]! - max);
  return max + Math.log(sum);
}
