export { FINETUNE_PLUGIN } from './finetune-error.js';
export {
  finetuneConfigSchema,
  finetuneDataSchema,
  parseFinetuneConfig,
  type FinetuneConfig,
  type FinetuneConfigInput,
} from './finetune-config.js';

export {
  LORA_TARGET_MODULES,
  loraConfigSchema,
  loraScaling,
  loraTargetModuleSchema,
  parseLoraConfig,
  PEFT_MODULE_NAMES,
  type LoraConfig,
  type LoraConfigInput,
  type LoraTargetModule,
} from './lora/lora-config.js';
export { initLoraWeights, kaimingUniformBound, type LoraWeights } from './lora/lora-init.js';
export {
  baseShape,
  isNf4Weight,
  loraLinearBackward,
  loraLinearForward,
  type LoraBaseWeight,
  type LoraForwardCache,
  type LoraForwardOptions,
  type LoraGrads,
  type LoraLinearLayer,
} from './lora/lora-linear.js';
export { initLoraAdapterWeights, loraParameterMap, mergeLoraWeight } from './lora/lora-adapter-weights.js';
export {
  baseParameterCount,
  fullParameterReport,
  linearShapes,
  llamaLikeConfigSchema,
  loraParameterReport,
  type LlamaLikeConfig,
  type LlamaLikeConfigInput,
  type ParameterReport,
} from './lora/parameter-report.js';

export { AdamWOptimizer, adamwConfigSchema, type AdamWConfig, type AdamWConfigInput, type AdamWState } from './train/adamw-optimizer.js';
export { causalLmLoss, type CausalLmLoss } from './train/causal-lm-loss.js';
export {
  checkpointFileName,
  findLatestCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
  type DataPosition,
  type TrainingCheckpoint,
} from './train/checkpoint.js';
export { EarlyStopping, earlyStoppingSchema, type EarlyStoppingConfig, type EarlyStoppingConfigInput, type EarlyStoppingState } from './train/early-stopping.js';
export { clipGradNorm } from './train/grad-clip.js';
export { GradientAccumulator } from './train/gradient-accumulator.js';
export { lossCurveSvg, writeLossCurve } from './train/loss-curve.js';
export { learningRateAt, lrScheduleSchema, parseLrSchedule, warmupSteps, type LrSchedule, type LrScheduleInput } from './train/lr-schedule.js';
export {
  parseTrainingOptions,
  trainingOptionsSchema,
  trainLoop,
  type BatchSource,
  type TrainableObjective,
  type TrainingOptions,
  type TrainingOptionsInput,
  type TrainingResult,
} from './train/train-loop.js';
export { renderTrainingProgress, stepMessage, type TrainingEvent, type TrainingStepFacts } from './train/training-events.js';
export type { EvalRecord, TrainingHistory, TrainRecord } from './train/training-history.js';
export { TrainingRng } from './train/training-rng.js';

export { packExamples, padBatch, type TokenBatch } from './data/batching.js';
export { parseCsv, type CsvRecord } from './data/csv.js';
export { createLabelMap, FINANCE_SENTIMENT_LABELS, type LabelMap } from './data/label-map.js';
export {
  DEFAULT_INSTRUCTION_TEMPLATE,
  formatExample,
  instructionPrompt,
  promptFormatSchema,
  type FormattedExample,
  type PromptFormat,
  type PromptFormatInput,
} from './data/prompt-format.js';
export { parseDataset, readDataset, type Dataset, type DatasetRow, type ReadDatasetOptions, type SkippedRow } from './data/read-dataset.js';
export { stratifiedSplit } from './data/stratified-split.js';
export { ByteTokenizer, type ChatMessage, type Tokenizer } from './data/tokenizer.js';
export { buildTrainingExample, IGNORE_INDEX, type TrainingExample } from './data/training-example.js';

export { classificationReport, confusionMatrixText, formatClassificationReport, type ClassificationReport } from './eval/classification-report.js';
export { confusionMatrixSvg } from './eval/confusion-matrix-svg.js';
export { scorerFromLogits } from './eval/logits-scorer.js';
export { predictionReviewSample, reviewSampleMarkdown, type ReviewRow } from './eval/review-sample.js';
export { classifyByLabelScores, type ClassifyOptions, type ContinuationScorer, type LabelPrediction } from './eval/score-labels.js';

export {
  ADAPTER_CONFIG_FILE,
  ADAPTER_WEIGHTS_FILE,
  peftAdapterConfigSchema,
  peftTensorName,
  readPeftAdapter,
  writePeftAdapter,
  type LoraModuleWeights,
  type PeftAdapter,
} from './adapter/peft-adapter.js';
export { decodeSafetensors, encodeSafetensors, readSafetensors, writeSafetensors, type SafetensorsFile } from '@ferry/llama';

export { lineChartSvg, type LineChartOptions, type LineSeries } from './plot/line-chart-svg.js';

export { applyLora, type ApplyLoraOptions, type LoraModel } from './model/apply-lora.js';
export { LoraLinearModule } from './model/lora-linear-module.js';
export { llamaBackward, type LlamaBackwardOptions } from './model/llama-backward.js';
export { sequenceLossAndGrads, type SequenceLossResult, type TrainingSequence } from './model/sequence-loss.js';
export { hfParameterName, llamaParameters } from './model/full-parameters.js';
export { exportLoraAdapter, loadLoraAdapter, mergeLora, saveLlamaModel } from './model/lora-adapter-io.js';
export { initLlamaModel } from './model/init-llama.js';
export { llamaObjective, type LlamaTrainingMode } from './model/llama-objective.js';
export { hfTokenizer, type HfTokenizerLike } from './model/hf-tokenizer.js';
export {
  evaluateClassifier,
  evaluateFinetune,
  exportCheckpointAdapter,
  loadFinetuneBase,
  mergeAdapterIntoModel,
  runFinetune,
  writeEvaluation,
  type FinetuneBase,
  type FinetuneEvaluation,
  type FinetuneRunResult,
} from './run/run-finetune.js';
export { loadFinetuneData, type FinetuneData, type LabelledText } from './run/finetune-data.js';
export { buildWordVocabulary, WORD_TOKENIZER_SPECIALS, WordTokenizer, wordPieces, wordVocabularySchema, type BuildWordVocabularyOptions, type WordVocabulary } from './data/word-tokenizer.js';
export { llamaScorer } from './model/llama-scorer.js';
