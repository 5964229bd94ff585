import { formatShape } from '../../tensor/tensor-shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { badInput, checkNumber, checkShapeEquals, checkTensor } from '../kernel-checks.js';
import type { CrossEntropyOptions } from '../kernel-types.js';

/** A validated crossEntropy / crossEntropyBackward call: logits [rows, vocab], one target per row. */
export interface CrossEntropyArgs {
  logits: Tensor<'f32'>;
  targets: Tensor<'i32'>;
  rows: number;
  vocab: number;
  ignoreIndex: number;
}

/**
 * Entry checks of `crossEntropy` and `crossEntropyBackward`, shared by every
 * backend so errors read the same; every target is range-checked here, so
 * kernels may index with it.
 */
export function crossEntropyArgs(kernel: 'crossEntropy' | 'crossEntropyBackward', logits: Tensor, targets: Tensor, options: CrossEntropyOptions = {}): CrossEntropyArgs {
  checkTensor(kernel, 'logits', logits, 'f32', [2]);
  checkTensor(kernel, 'targets', targets, 'i32', [1]);
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
  return { logits, targets, rows, vocab, ignoreIndex };
}
