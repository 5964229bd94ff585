import type { Tensor } from '@ferry/core';
import { finetuneError } from '../finetune-error.js';
import type { ContinuationScorer } from './score-labels.js';

/**
 * A ContinuationScorer from any causal LM that maps token ids `[T]` to
 * logits `[T, V]`: the sum over continuation tokens of log softmax(logits at
 * the previous position)[token], computed in double precision.
 */
export function scorerFromLogits(logitsOf: (ids: readonly number[]) => Promise<Tensor>): ContinuationScorer {
  return async (prompt, continuation) => {
    if (prompt.length === 0) throw finetuneError('prompt', 'scoring needs at least one prompt token', 'Start prompts with BOS or some text.');
    const ids = [...prompt, ...continuation];
    const logits = await logitsOf(ids);
    const vocab = logits.shape[logits.rank - 1] ?? 0;
    if (logits.size !== ids.length * vocab) {
      throw finetuneError('logits', `expected logits for ${ids.length} positions, got shape [${logits.shape.join(', ')}]`, 'Return one row of logits per input token.');
    }
    let total = 0;
    for (let i = 0; i < continuation.length; i++) {
      const row = (prompt.length - 1 + i) * vocab;
      let max = -Infinity;
      for (let v = 0; v < vocab; v++) max = Math.max(max, logits.data[row + v]!);
      let sum = 0;
      for (let v = 0; v < vocab; v++) sum += Math.exp(logits.data[row + v]! - max);
      total += logits.data[row + continuation[i]!]! - max - Math.log(sum);
    }
    return total;
  };
}
