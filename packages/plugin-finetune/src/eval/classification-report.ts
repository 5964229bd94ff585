import { accuracy, confusionMatrix, labelMetrics, macroF1, weightedF1, type ConfusionMatrix, type LabelMetrics } from '@ferry/plugin-prompt';

export interface ClassificationReport {
  labels: string[];
  total: number;
  accuracy: number;
  macroF1: number;
  weightedF1: number;
  perClass: LabelMetrics[];
  confusion: ConfusionMatrix;
  /** Always predicting the most frequent gold label: the floor a trained model must beat. */
  majorityBaseline: { label: string; accuracy: number; macroF1: number; weightedF1: number };
}

/** Accuracy, macro and weighted F1, per-class precision / recall / F1 and the confusion matrix (metrics from @ferry/plugin-prompt). */
export function classificationReport(labels: readonly string[], gold: readonly string[], predicted: readonly string[]): ClassificationReport {
  const confusion = confusionMatrix(labels, gold, predicted);
  const support = labels.map((label) => gold.filter((g) => g === label).length);
  const majority = labels[support.indexOf(Math.max(...support))]!;
  const baseline = confusionMatrix(labels, gold, gold.map(() => majority));
  return {
    labels: [...labels],
    total: gold.length,
    accuracy: accuracy(confusion),
    macroF1: macroF1(confusion),
    weightedF1: weightedF1(confusion),
    perClass: labelMetrics(confusion),
    confusion,
    majorityBaseline: { label: majority, accuracy: accuracy(baseline), macroF1: macroF1(baseline), weightedF1: weightedF1(baseline) },
  };
}

/** scikit-learn's classification_report layout, plus the majority-class baseline. */
export function formatClassificationReport(report: ClassificationReport): string {
  const width = Math.max(12, ...report.labels.map((l) => l.length)) + 2;
  const cell = (v: number): string => v.toFixed(4).padStart(10);
  const lines = [`${''.padStart(width)}${'precision'.padStart(10)}${'recall'.padStart(10)}${'f1-score'.padStart(10)}${'support'.padStart(10)}`, ''];
  for (const m of report.perClass) lines.push(`${m.label.padStart(width)}${cell(m.precision)}${cell(m.recall)}${cell(m.f1)}${String(m.support).padStart(10)}`);
  lines.push('');
  lines.push(`${'accuracy'.padStart(width)}${''.padStart(20)}${cell(report.accuracy)}${String(report.total).padStart(10)}`);
  const mean = (key: 'precision' | 'recall'): number => report.perClass.reduce((s, m) => s + m[key], 0) / report.perClass.length;
  const weighted = (key: 'precision' | 'recall'): number => report.perClass.reduce((s, m) => s + m[key] * m.support, 0) / Math.max(1, report.total);
  lines.push(`${'macro avg'.padStart(width)}${cell(mean('precision'))}${cell(mean('recall'))}${cell(report.macroF1)}${String(report.total).padStart(10)}`);
  lines.push(`${'weighted avg'.padStart(width)}${cell(weighted('precision'))}${cell(weighted('recall'))}${cell(report.weightedF1)}${String(report.total).padStart(10)}`);
  const b = report.majorityBaseline;
  lines.push('', `majority baseline (always "${b.label}"): accuracy ${b.accuracy.toFixed(4)}, weighted F1 ${b.weightedF1.toFixed(4)}, macro F1 ${b.macroF1.toFixed(4)}`);
  return `${lines.join('\n')}\n`;
}

/** The confusion matrix as a text table: rows are gold labels, columns predictions. */
export function confusionMatrixText(confusion: ConfusionMatrix): string {
  const hasUnlabelled = confusion.unlabelled.some((n) => n > 0);
  const columns = [...confusion.labels, ...(hasUnlabelled ? ['(none)'] : [])];
  const width = Math.max(8, ...columns.map((c) => c.length), ...confusion.matrix.flat().map((n) => String(n).length)) + 2;
  const head = `${'gold \\ predicted'.padEnd(Math.max(18, ...confusion.labels.map((l) => l.length + 2)))}`;
  const lines = [head + columns.map((c) => c.padStart(width)).join('')];
  confusion.labels.forEach((label, i) => {
    const row = [...(confusion.matrix[i] ?? []), ...(hasUnlabelled ? [confusion.unlabelled[i] ?? 0] : [])];
    lines.push(label.padEnd(head.length) + row.map((n) => String(n).padStart(width)).join(''));
  });
  return `${lines.join('\n')}\n`;
}
