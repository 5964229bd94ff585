export { accuracy, confusionMatrix, labelMetrics, macroF1, percentile, weightedF1, type ConfusionMatrix, type LabelMetrics } from './classification-metrics.js';
export {
  evaluatePrompts,
  type EvalExample,
  type EvalReport,
  type EvaluatePromptsInput,
  type PromptVariant,
  type VariantOutput,
  type VariantReport,
} from './evaluate-prompts.js';
export { formatEvalTable } from './format-eval-table.js';
export { evalChartSvg } from './eval-chart-svg.js';
export { classifierVariant } from './classifier-variant.js';
export { modelVariant, type ModelVariantPrompt } from './model-variant.js';
export { nearestNeighbourVariant, type NearestNeighbourOptions } from './nearest-neighbour-variant.js';
export { offlineVariants, type OfflineVariantsInput } from './offline-variants.js';
export { chainOfThoughtClassificationOutputSchema, chainOfThoughtClassificationPrompt } from './chain-of-thought-classification-prompt.js';
export { loadLabelledCsv, strideSample, type LoadLabelledCsvOptions } from './load-labelled-csv.js';
export { findRepoRoot } from './repo-root.js';
export {
  FINANCE_SENTIMENT_LABELS,
  FINANCE_SENTIMENT_LABEL_NAMES,
  FINANCE_SENTIMENT_LEXICON,
  financeSentimentFiles,
  type FinanceSentimentFiles,
} from './finance-sentiment.js';
