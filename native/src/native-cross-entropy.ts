import { badInput, checkNumber, checkShapeEquals, checkTensor, formatShape, Tensor, type CrossEntropyOptions, type KernelSet } from '@ferry/core';
import type { NativeAddon } from './native-addon.js';
import { ASYNC_ELEMENTS, settle } from './settle.js';

/** Cross-entropy with ignore index and its gradient; checks mirror the js reference. */
export function nativeCrossEntropy(addon: NativeAddon): Pick<KernelSet, 'crossEntropy' | 'crossEntropyBackward'> {
  return {
    crossEntropy(logits, targets, options: CrossEntropyOptions = {}) {
      checkTensor('crossEntropy', 'logits', logits, 'f32', [2]);
      checkTensor('crossEntropy', 'targets', targets, 'i32', [1]);
      const { rows, vocab, ignoreIndex } = checkTargets('crossEntropy', logits, targets, options);
      const result = new Float64Array(2);
      const pending = addon.crossEntropy(logits.data, targets.data, result, rows, vocab, ignoreIndex, logits.size >= ASYNC_ELEMENTS);
      const summary = () => ({ loss: result[1] === 0 ? 0 : result[0]! / result[1]!, count: result[1]! });
      return pending === undefined ? summary() : pending.then(summary);
    },
    crossEntropyBackward(logits, targets, options: CrossEntropyOptions = {}) {
      checkTensor('crossEntropyBackward', 'logits', logits, 'f32', [2]);
      checkTensor('crossEntropyBackward', 'targets', targets, 'i32', [1]);
      const { rows, vocab, ignoreIndex } = checkTargets('crossEntropyBackward', logits, targets, options);
      let count = 0;
      for (let row = 0; row < rows; row++) if (targets.data[row] !== ignoreIndex) count++;
      const grad = Tensor.zeros(logits.shape, 'f32');
      return settle(addon.crossEntropyBackward(logits.data, targets.data, grad.data, rows, vocab, ignoreIndex, count, logits.size >= ASYNC_ELEMENTS), grad);
    },
  };
}

function checkTargets(kernel: string, logits: Tensor<'f32'>, targets: Tensor<'i32'>, options: CrossEntropyOptions) {
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
