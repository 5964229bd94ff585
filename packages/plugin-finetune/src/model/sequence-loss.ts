import { Tensor } from '@ferry/core';
import type { LlamaModel } from '@ferry/llama';
import { finetuneError } from '../finetune-error.js';
import { causalLmLoss } from '../train/causal-lm-loss.js';
import type { LoraModel } from './apply-lora.js';
import { llamaBackward } from './llama-backward.js';

/** One training sequence: token ids and their labels (IGNORE_INDEX on the prompt), as `buildTrainingExample` makes. */
export interface TrainingSequence {
  ids: readonly number[];
  labels: readonly number[];
}

export interface SequenceLossResult {
  /** Mean causal-LM loss over every counted token of the batch (transformers' loss of a padded batch). */
  loss: number;
  /** Tokens that counted. */
  tokens: number;
  grads: Map<string, Tensor<'f32'>>;
}

/**
 * Forward and backward over a batch of sequences, one at a time (no padding
 * work, activations of one sequence alive at once): causal-LM loss on the
 * labelled (response) tokens, gradients of the LoRA factors (`lora`) and/or
 * of every base parameter (`full`), averaged over the batch's tokens.
 */
export async function sequenceLossAndGrads(
  model: LlamaModel,
  batch: readonly TrainingSequence[],
  options: { lora?: LoraModel; full?: boolean },
): Promise<SequenceLossResult> {
  const grads = new Map<string, Tensor<'f32'>>();
  let lossSum = 0;
  let tokens = 0;
  const counts = batch.map((s) => countLabels(s));
  const total = counts.reduce((a, b) => a + b, 0);
  for (const [index, sequence] of batch.entries()) {
    if (counts[index] === 0) continue;
    const activations = new Map<string, Tensor<'f32'>>();
    const { logits } = await model.forward(sequence.ids, { activations });
    const time = sequence.ids.length;
    const vocab = logits!.shape[1]!;
    const labels = new Tensor('i32', Int32Array.from(sequence.labels), [1, time]);
    const { loss, count, dlogits } = await causalLmLoss(model.kernels, logits!.reshape([1, time, vocab]), labels);
    const share = count / total;
    for (let i = 0; i < dlogits.size; i++) dlogits.data[i]! *= share;
    await llamaBackward(model, sequence.ids, activations, dlogits.reshape([time, vocab]), { ...options, into: grads });
    lossSum += loss * count;
    tokens += count;
  }
  return { loss: tokens === 0 ? 0 : lossSum / tokens, tokens, grads };
}

function countLabels(sequence: TrainingSequence): number {
  if (sequence.ids.length !== sequence.labels.length) {
    throw finetuneError('labels', `a sequence has ${sequence.ids.length} ids but ${sequence.labels.length} labels`, 'Give one label per token (IGNORE_INDEX for prompt tokens).');
  }
  let count = 0;
  for (let t = 1; t < sequence.labels.length; t++) if (sequence.labels[t] !== -100) count++;
  return count;
}
