import type { LlamaModel } from '@ferry/llama';
import { scorerFromLogits } from '../eval/logits-scorer.js';
import type { ContinuationScorer } from '../eval/score-labels.js';

/** Label scoring with a `@ferry/llama` model: the decoder runs over every token, the vocabulary projection only where a continuation token is predicted. */
export function llamaScorer(model: LlamaModel): ContinuationScorer {
  return scorerFromLogits(async (ids, fromPosition) => {
    const { hidden } = await model.forward(ids, { logits: 'none' });
    return model.lmHead.forward(hidden.slice(fromPosition), { kernels: model.kernels });
  });
}
