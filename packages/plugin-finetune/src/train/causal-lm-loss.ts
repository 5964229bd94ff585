import { Tensor, type KernelOps } from '@ferry/core';
import { finetuneError } from '../finetune-error.js';
import { IGNORE_INDEX } from '../data/training-example.js';

export interface CausalLmLoss {
  /** Mean cross entropy over the counted positions (transformers' LlamaForCausalLM loss). */
  loss: number;
  /** Positions that counted: next tokens whose label is not IGNORE_INDEX. */
  count: number;
  /** Gradient of `loss` wrt the logits, `[B, T, V]`. */
  dlogits: Tensor<'f32'>;
}

/**
 * Next-token loss as transformers computes it: logits at position t predict
 * labels[t + 1]; the last position and every IGNORE_INDEX label (prompt,
 * padding) are skipped, so only response tokens are learned.
 */
export async function causalLmLoss(kernels: KernelOps, logits: Tensor, labels: Tensor): Promise<CausalLmLoss> {
  const [batch, time, vocab] = logits.shape;
  if (logits.rank !== 3 || batch === undefined || time === undefined || vocab === undefined || labels.dtype !== 'i32' || labels.size !== batch * time) {
    throw finetuneError('logits', `logits must be [B, T, V] and labels i32 [B, T], got [${logits.shape.join(', ')}] and ${labels.dtype} [${labels.shape.join(', ')}]`, 'Pass the model logits and the batch labels from padBatch / packExamples.');
  }
  const targets = Tensor.zeros([batch * time], 'i32');
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < time; t++) targets.data[b * time + t] = t + 1 < time ? labels.data[b * time + t + 1]! : IGNORE_INDEX;
  }
  const flat = logits.reshape([batch * time, vocab]);
  const { loss, count } = await kernels.crossEntropy(flat, targets, { ignoreIndex: IGNORE_INDEX });
  const dlogits = await kernels.crossEntropyBackward(flat, targets, { ignoreIndex: IGNORE_INDEX });
  return { loss, count, dlogits: dlogits.reshape([batch, time, vocab]) };
}
