/** One optimizer step as logged. */
export interface TrainRecord {
  step: number;
  loss: number;
  lr: number;
  gradNorm: number;
  tokens: number;
}

/** One evaluation: the loss and any metrics (accuracy, weightedF1, ...). */
export interface EvalRecord {
  step: number;
  loss: number;
  metrics: Record<string, number>;
}

export interface TrainingHistory {
  train: TrainRecord[];
  eval: EvalRecord[];
}
