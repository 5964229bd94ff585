import { Tensor } from '@ferry/core';
import { finetuneError } from '../finetune-error.js';
import { IGNORE_INDEX, type TrainingExample } from './training-example.js';

export interface TokenBatch {
  /** `[B, T]` token ids. */
  inputIds: Tensor<'i32'>;
  /** `[B, T]`; IGNORE_INDEX on prompt and padding. */
  labels: Tensor<'i32'>;
  /** `[B, T]`; 1 on real tokens, 0 on padding. */
  attentionMask: Tensor<'u8'>;
  /** Label tokens that count in the loss (after the next-token shift: every label but each row's first position). */
  lossTokens: number;
}

/** Right-pads examples to the longest (rounded up to padToMultipleOf), padding masked out of attention and loss. */
export function padBatch(examples: readonly TrainingExample[], options: { padTokenId: number; padToMultipleOf?: number }): TokenBatch {
  if (examples.length === 0) throw finetuneError('examples', 'cannot make a batch of no examples', 'Pass at least one example.');
  const multiple = options.padToMultipleOf ?? 1;
  const longest = Math.max(...examples.map((e) => e.inputIds.length));
  const width = Math.ceil(longest / multiple) * multiple;
  const inputIds = new Int32Array(examples.length * width).fill(options.padTokenId);
  const labels = new Int32Array(examples.length * width).fill(IGNORE_INDEX);
  const mask = new Uint8Array(examples.length * width);
  examples.forEach((example, row) => {
    inputIds.set(example.inputIds, row * width);
    labels.set(example.labels, row * width);
    mask.fill(1, row * width, row * width + example.inputIds.length);
  });
  return batchOf(inputIds, labels, mask, examples.length, width);
}

/**
 * Concatenates examples into rows of exactly `blockLength` tokens (the
 * remainder is dropped), as TRL's packing does: no padding, and tokens may
 * attend across example boundaries inside a row.
 */
export function packExamples(examples: readonly TrainingExample[], blockLength: number): TokenBatch {
  const ids = examples.flatMap((e) => e.inputIds);
  const labelStream = examples.flatMap((e) => e.labels);
  const rows = Math.floor(ids.length / blockLength);
  if (rows === 0) {
    throw finetuneError('blockLength', `the ${ids.length} tokens do not fill one block of ${blockLength}`, 'Pack more examples together or use a shorter blockLength.');
  }
  const size = rows * blockLength;
  return batchOf(Int32Array.from(ids.slice(0, size)), Int32Array.from(labelStream.slice(0, size)), new Uint8Array(size).fill(1), rows, blockLength);
}

function batchOf(inputIds: Int32Array, labels: Int32Array, mask: Uint8Array, rows: number, width: number): TokenBatch {
  let lossTokens = 0;
  for (let r = 0; r < rows; r++) for (let t = 1; t < width; t++) if (labels[r * width + t] !== IGNORE_INDEX) lossTokens++;
  return {
    inputIds: Tensor.from(inputIds, [rows, width]),
    labels: Tensor.from(labels, [rows, width]),
    attentionMask: Tensor.from(mask, [rows, width]),
    lossTokens,
  };
}
