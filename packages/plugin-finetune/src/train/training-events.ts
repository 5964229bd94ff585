import { renderProgress, type PipelineEvent, type PipelineEventListener, type ProgressStream } from '@ferry/core';

/** Numbers of one optimizer step, carried on the progress event (JSON lines show them as fields). */
export interface TrainingStepFacts {
  epoch: number;
  loss: number;
  lr: number;
  gradNorm: number;
  tokensPerSecond: number;
  evalLoss?: number;
  evalMetrics?: Record<string, number>;
}

/** A pipeline event of the `finetune` pipeline; progress events also carry TrainingStepFacts. */
export type TrainingEvent = PipelineEvent | (Extract<PipelineEvent, { type: 'progress' }> & TrainingStepFacts);

/**
 * @ferry/core's renderProgress for training: a bar with loss, lr and tokens/s
 * on a terminal, one JSON line per event (with those numbers as fields) elsewhere.
 */
export function renderTrainingProgress(stream: ProgressStream = process.stderr): (event: TrainingEvent) => void {
  const listener: PipelineEventListener = renderProgress(stream);
  return (event) => listener(event);
}

export function stepMessage(facts: TrainingStepFacts): string {
  const parts = [`loss ${facts.loss.toFixed(4)}`, `lr ${facts.lr.toExponential(2)}`, `${Math.round(facts.tokensPerSecond)} tok/s`];
  if (facts.evalLoss !== undefined) parts.push(`eval loss ${facts.evalLoss.toFixed(4)}`);
  for (const [name, value] of Object.entries(facts.evalMetrics ?? {})) parts.push(`${name} ${value.toFixed(4)}`);
  return parts.join(' · ');
}
