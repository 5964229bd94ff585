import { setImmediate as eventLoopTurn } from 'node:timers/promises';
import { finetuneError } from '../finetune-error.js';
import { formatExample, type PromptFormat } from '../data/prompt-format.js';
import type { Tokenizer } from '../data/tokenizer.js';

/** Log-likelihood (natural log, summed over tokens) of `continuation` following `prompt`; the model supplies it. */
export type ContinuationScorer = (prompt: readonly number[], continuation: readonly number[]) => Promise<number>;

export interface LabelPrediction {
  text: string;
  gold: string;
  predicted: string;
  /** Log-likelihood of each label's continuation (length-normalised when asked). */
  scores: Record<string, number>;
  /** Softmax of the scores over the labels. */
  probabilities: Record<string, number>;
  /** Where the example came from (dataset line), when known. */
  line?: number;
}

export interface ClassifyOptions {
  labels: readonly string[];
  tokenizer: Tokenizer;
  format: PromptFormat;
  score: ContinuationScorer;
  /** 'sum' (default) compares total log-likelihoods; 'mean' divides by the continuation's token count. */
  normalize?: 'sum' | 'mean';
}

/**
 * Classifies by asking the model how likely each label's continuation is
 * after the prompt, in the same format it was trained on (the label followed
 * by end-of-sequence), never by parsing generated text: every prediction is
 * one of the labels. Ties go to the earlier label.
 */
export async function classifyByLabelScores(
  examples: ReadonlyArray<{ text: string; label: string; line?: number }>,
  options: ClassifyOptions,
): Promise<LabelPrediction[]> {
  const { labels, tokenizer, format, score } = options;
  if (labels.length < 2) throw finetuneError('labels', 'classification needs at least two labels', 'Pass the label names of the label map.');
  const predictions: LabelPrediction[] = [];
  for (const example of examples) {
    if (!labels.includes(example.label)) {
      throw finetuneError('label', `gold label "${example.label}" is not one of ${labels.join(', ')}`, 'Map raw label values through the label map before evaluating.');
    }
    const { promptIds } = formatExample(tokenizer, format, example.text);
    const scores: Record<string, number> = {};
    for (const label of labels) {
      const continuation = formatExample(tokenizer, format, example.text, label).responseIds;
      const logLikelihood = await score(promptIds, continuation);
      scores[label] = options.normalize === 'mean' ? logLikelihood / continuation.length : logLikelihood;
    }
    let predicted = labels[0]!;
    for (const label of labels) if (scores[label]! > scores[predicted]!) predicted = label;
    // Lets Node-API finalizers free the native outputs of these forward passes (see trainLoop).
    await eventLoopTurn();
    predictions.push({
      text: example.text,
      gold: example.label,
      predicted,
      scores,
      probabilities: softmax(scores),
      ...(example.line === undefined ? {} : { line: example.line }),
    });
  }
  return predictions;
}

function softmax(scores: Record<string, number>): Record<string, number> {
  const max = Math.max(...Object.values(scores));
  const exps = Object.entries(scores).map(([label, s]) => [label, Math.exp(s - max)] as const);
  const total = exps.reduce((sum, [, e]) => sum + e, 0);
  return Object.fromEntries(exps.map(([label, e]) => [label, e / total]));
}
