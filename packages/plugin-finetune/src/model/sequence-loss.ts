import { Tensor } from '@ferry/core';
import type { LlamaModel } from '@ferry/llama';
import { finetuneError } from '../finetune-error.js';
import { IGNORE_INDEX } from '../data/training-example.js';
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
    const { hidden } = await model.forward(sequence.ids, { activations, logits: 'none' });
    // Logits only at the positions whose next token is labelled: a prompt-masked example needs two rows of
    // [T, V], not T (the vocabulary projection and its gradient dominate a small model's step).
    const rows: number[] = [];
    for (let t = 0; t + 1 < sequence.ids.length; t++) if (sequence.labels[t + 1] !== IGNORE_INDEX) rows.push(t);
    const headIn = gatherRows(hidden, rows);
    const logits = await model.lmHead.forward(headIn, { kernels: model.kernels, activations });
    const targets = new Tensor('i32', Int32Array.from(rows, (t) => sequence.labels[t + 1]!), [rows.length]);
    const { loss, count } = await model.kernels.crossEntropy(logits, targets, { ignoreIndex: IGNORE_INDEX });
    const dlogits = await model.kernels.crossEntropyBackward(logits, targets, { ignoreIndex: IGNORE_INDEX });
    const share = count / total;
    for (let i = 0; i < dlogits.size; i++) dlogits.data[i]! *= share;
    await llamaBackward(model, sequence.ids, activations, dlogits, { ...options, into: grads, logitRows: rows });
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
  for (let t = 1; t < sequence.labels.length; t++) if (sequence.labels[t] !== IGNORE_INDEX) count++;
  return count;
}

function gatherRows(x: Tensor<'f32'>, rows: readonly number[]): Tensor<'f32'> {
  const width = x.shape[1]!;
  const out = Tensor.zeros([rows.length, width], 'f32');
  rows.forEach((t, r) => out.data.set(x.data.subarray(t * width, (t + 1) * width), r * width));
  return out;
}
