import { finetuneError } from '../finetune-error.js';
import type { FormattedExample } from './prompt-format.js';

/** The label that PyTorch's cross entropy (and the core kernel) skips. */
export const IGNORE_INDEX = -100;

export interface TrainingExample {
  inputIds: number[];
  /** Same length; IGNORE_INDEX on prompt tokens, so only the response is learned. The shift for next-token prediction happens in the loss. */
  labels: number[];
}

/**
 * Prompt + response with the prompt masked out of the loss. When too long,
 * the prompt loses tokens from its start (its end, next to the response,
 * matters most); a response longer than maxLength is cut at its end.
 */
export function buildTrainingExample(example: FormattedExample, maxLength: number): TrainingExample {
  if (!Number.isInteger(maxLength) || maxLength < 2) {
    throw finetuneError('maxLength', `maxLength must be an integer >= 2, got ${String(maxLength)}`, 'Use the context length you train with, e.g. 256.');
  }
  const response = example.responseIds.slice(0, maxLength - 1);
  const room = maxLength - response.length;
  const prompt = example.promptIds.length > room ? example.promptIds.slice(example.promptIds.length - room) : example.promptIds;
  return { inputIds: [...prompt, ...response], labels: [...prompt.map(() => IGNORE_INDEX), ...response] };
}
