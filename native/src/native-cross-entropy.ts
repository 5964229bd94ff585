import { crossEntropyArgs, Tensor, type KernelSet } from '@ferry/core';
import type { NativeAddon } from './native-addon.js';
import { ASYNC_ELEMENTS, settle } from './settle.js';

/** Cross-entropy with ignore index and its gradient; checked by core's crossEntropyArgs like every backend. */
export function nativeCrossEntropy(addon: NativeAddon): Pick<KernelSet, 'crossEntropy' | 'crossEntropyBackward'> {
  return {
    crossEntropy(logitsInput, targetsInput, options) {
      const { logits, targets, rows, vocab, ignoreIndex } = crossEntropyArgs('crossEntropy', logitsInput, targetsInput, options);
      const result = new Float64Array(2);
      const pending = addon.crossEntropy(logits.data, targets.data, result, rows, vocab, ignoreIndex, logits.size >= ASYNC_ELEMENTS);
      const summary = () => ({ loss: result[1] === 0 ? 0 : result[0]! / result[1]!, count: result[1]! });
      return pending === undefined ? summary() : pending.then(summary);
    },
    crossEntropyBackward(logitsInput, targetsInput, options) {
      const { logits, targets, rows, vocab, ignoreIndex } = crossEntropyArgs('crossEntropyBackward', logitsInput, targetsInput, options);
      let count = 0;
      for (let row = 0; row < rows; row++) if (targets.data[row] !== ignoreIndex) count++;
      const grad = Tensor.zeros(logits.shape, 'f32');
      return settle(addon.crossEntropyBackward(logits.data, targets.data, grad.data, rows, vocab, ignoreIndex, count, logits.size >= ASYNC_ELEMENTS), grad);
    },
  };
}
