/**
 * Counts of true label (row) against predicted label (column). A prediction
 * that is missing or not among the labels goes to `unlabelled`, so it still
 * counts against recall without inventing a label column.
 */
export interface ConfusionMatrix {
  labels: string[];
  matrix: number[][];
  unlabelled: number[];
}

export interface LabelMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Examples whose true label this is. */
  support: number;
}

export function confusionMatrix(labels: readonly string[], truth: readonly string[], predicted: ReadonlyArray<string | undefined>): ConfusionMatrix {
  if (truth.length !== predicted.length) throw new RangeError(`truth has ${truth.length} labels but predicted has ${predicted.length}`);
  const index = new Map(labels.map((label, i) => [label, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  const unlabelled = labels.map(() => 0);
  truth.forEach((label, i) => {
    const row = index.get(label);
    if (row === undefined) throw new RangeError(`true label "${label}" is not one of ${labels.join(', ')}`);
    const guess = predicted[i];
    const column = guess === undefined ? undefined : index.get(guess);
    if (column === undefined) unlabelled[row] = (unlabelled[row] ?? 0) + 1;
    else (matrix[row] as number[])[column] = ((matrix[row] as number[])[column] ?? 0) + 1;
  });
  return { labels: [...labels], matrix, unlabelled };
}

export function accuracy(confusion: ConfusionMatrix): number {
  const total = sum(confusion.matrix.map(sum)) + sum(confusion.unlabelled);
  const correct = sum(confusion.matrix.map((row, i) => row[i] ?? 0));
  return total === 0 ? 0 : correct / total;
}

/** Per-label precision, recall and F1; a ratio with a zero denominator is 0 (scikit-learn's zero_division=0). */
export function labelMetrics(confusion: ConfusionMatrix): LabelMetrics[] {
  const { labels, matrix, unlabelled } = confusion;
  return labels.map((label, i) => {
    const row = matrix[i] ?? [];
    const truePositives = row[i] ?? 0;
    const support = sum(row) + (unlabelled[i] ?? 0);
    const predictedAs = sum(matrix.map((r) => r[i] ?? 0));
    const precision = ratio(truePositives, predictedAs);
    const recall = ratio(truePositives, support);
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
}

/** Unweighted mean of per-label F1: every label counts the same, however rare. */
export function macroF1(confusion: ConfusionMatrix): number {
  const perLabel = labelMetrics(confusion);
  return perLabel.length === 0 ? 0 : sum(perLabel.map((m) => m.f1)) / perLabel.length;
}

/** Per-label F1 weighted by support: tracks the label mix of the data set. */
export function weightedF1(confusion: ConfusionMatrix): number {
  const perLabel = labelMetrics(confusion);
  const total = sum(perLabel.map((m) => m.support));
  return total === 0 ? 0 : sum(perLabel.map((m) => m.f1 * m.support)) / total;
}

/** Nearest-rank percentile (p in 0..100) of the values; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
