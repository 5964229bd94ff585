import type { Tensor } from '@ferry/core';
import { finetuneError } from '../finetune-error.js';
import type { ContinuationScorer } from './score-labels.js';

/**
 * A ContinuationScorer from any causal LM that maps token ids `[T]` to
 * logits: the sum over continuation tokens of log softmax(logits at the
 * previous position)[token], computed in double precision. `logitsOf` gets
 * the first position whose logits are needed and may return `[T, V]` or only
 * the rows from that position on (the projection to the vocabulary is most
 * of a small model's forward pass).
 */
export function scorerFromLogits(logitsOf: (ids: readonly number[], fromPosition: number) => Promise<Tensor>): ContinuationScorer {
  return async (prompt, continuation) => {
    if (prompt.length === 0) throw finetuneError('prompt', 'scoring needs at least one prompt token', 'Start prompts with BOS or some text.');
    const ids = [...prompt, ...continuation];
    const from = prompt.length - 1;
    const logits = await logitsOf(ids, from);
    const vocab = logits.shape[logits.rank - 1] ?? 0;
    const rows = vocab === 0 ? 0 : logits.size / vocab;
    if (rows !== ids.length && rows !== ids.length - from) {
      throw finetuneError('logits', `expected logits for ${ids.length} positions (or the last ${ids.length - from}), got shape [${logits.shape.join(', ')}]`, 'Return one row of logits per input token, or per token from fromPosition on.');
    }
    const offset = rows === ids.length ? from : 0;
    let total = 0;
    for (let i = 0; i < continuation.length; i++) {
      const row = (offset + i) * vocab;
      let max = -Infinity;
      for (let v = 0; v < vocab; v++) max = Math.max(max, logits.data[row + v]!);
      let sum = 0;
      for (let v = 0; v < vocab; v++) sum += Math.exp(logits.data[row + v]! - max);
      total += logits.data[row + continuation[i]!]! - max - Math.log(sum);
    }
    return total;
  };
}
