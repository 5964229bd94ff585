import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as eventLoopTurn } from 'node:timers/promises';
import { Tensor, type KernelRegistry } from '@ferry/core';
import { defaultKernels, loadLlama, type LlamaModel } from '@ferry/llama';
import { buildTrainingExample } from '../data/training-example.js';
import { formatExample } from '../data/prompt-format.js';
import { ByteTokenizer, type Tokenizer } from '../data/tokenizer.js';
import { classificationReport, confusionMatrixText, formatClassificationReport, type ClassificationReport } from '../eval/classification-report.js';
import { confusionMatrixSvg } from '../eval/confusion-matrix-svg.js';
import { predictionReviewSample, reviewSampleMarkdown } from '../eval/review-sample.js';
import { classifyByLabelScores } from '../eval/score-labels.js';
import type { FinetuneConfig } from '../finetune-config.js';
import { finetuneError } from '../finetune-error.js';
import { applyLora, type LoraModel } from '../model/apply-lora.js';
import { hfTokenizer, type HfTokenizerLike } from '../model/hf-tokenizer.js';
import { llamaObjective } from '../model/llama-objective.js';
import { exportLoraAdapter, loadLoraAdapter, mergeLora, saveLlamaModel } from '../model/lora-adapter-io.js';
import { llamaScorer } from '../model/llama-scorer.js';
import { writePeftAdapter, type LoraModuleWeights } from '../adapter/peft-adapter.js';
import type { LoraTargetModule } from '../lora/lora-config.js';
import { findLatestCheckpoint, loadCheckpoint } from '../train/checkpoint.js';
import { causalLmLoss } from '../train/causal-lm-loss.js';
import { writeLossCurve } from '../train/loss-curve.js';
import { trainLoop, type TrainingResult } from '../train/train-loop.js';
import type { TrainingEvent } from '../train/training-events.js';
import { loadFinetuneData, resolveFrom, type FinetuneData, type LabelledText } from './finetune-data.js';

export interface FinetuneBase {
  folder: string;
  model: LlamaModel;
  tokenizer: Tokenizer;
}

/** `llama:<folder>` or a folder, relative to baseDir. */
export async function loadFinetuneBase(config: Pick<FinetuneConfig, 'model' | 'tokenizer'>, baseDir: string, kernels?: KernelRegistry): Promise<FinetuneBase> {
  const folder = resolveFrom(baseDir, config.model.replace(/^llama:/, ''));
  const loaded = await loadLlama(folder, { tokenizer: config.tokenizer === 'model', ...(kernels ? { kernels } : {}) });
  const tokenizer = config.tokenizer === 'bytes' ? new ByteTokenizer() : hfTokenizer(loaded.tokenizer as unknown as HfTokenizerLike);
  return { folder: loaded.folder, model: loaded.model, tokenizer };
}

export interface FinetuneEvaluation {
  report: ClassificationReport;
  /** Mean causal-LM loss of the validation examples' responses. */
  loss: number;
}

/** Validation loss on the responses and classification by label scoring; writes nothing. */
export async function evaluateClassifier(base: FinetuneBase, config: FinetuneConfig, data: FinetuneData, rows: readonly LabelledText[] = data.validation) {
  const { model, tokenizer } = base;
  const score = llamaScorer(model);
  const predictions = await classifyByLabelScores(rows, { labels: data.labelMap.labels, tokenizer, format: config.prompt, score, normalize: config.eval.normalize });
  let lossSum = 0;
  let count = 0;
  for (const row of rows) {
    const { inputIds, labels } = buildTrainingExample(formatExample(tokenizer, config.prompt, row.text, row.label), config.data.maxLength);
    const { logits } = await model.forward(inputIds);
    const result = await causalLmLoss(model.kernels, logits!.reshape([1, inputIds.length, logits!.shape[1]!]), new Tensor('i32', Int32Array.from(labels), [1, labels.length]));
    lossSum += result.loss * result.count;
    count += result.count;
    // Lets Node-API finalizers free this forward's native outputs (see trainLoop).
    await eventLoopTurn();
  }
  const report = classificationReport(data.labelMap.labels, predictions.map((p) => p.gold), predictions.map((p) => p.predicted));
  return { predictions, evaluation: { report, loss: count === 0 ? 0 : lossSum / count } satisfies FinetuneEvaluation };
}

/** Writes report.txt, confusion-matrix.svg, review-sample.md and metrics.json for an evaluation into dir. */
export async function writeEvaluation(dir: string, config: FinetuneConfig, data: FinetuneData, result: Awaited<ReturnType<typeof evaluateClassifier>>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const { report, loss } = result.evaluation;
  await writeFile(join(dir, 'report.txt'), `${formatClassificationReport(report)}\n${confusionMatrixText(report.confusion)}`);
  await writeFile(join(dir, 'confusion-matrix.svg'), confusionMatrixSvg(report.confusion));
  await writeFile(join(dir, 'review-sample.md'), reviewSampleMarkdown(predictionReviewSample(result.predictions, { size: config.eval.reviewSampleSize, seed: config.training.seed }), data.labelMap.labels));
  const { confusion, ...numbers } = report;
  await writeFile(join(dir, 'metrics.json'), `${JSON.stringify({ loss, ...numbers, confusion }, null, 2)}\n`);
}

export interface FinetuneRunResult {
  training: TrainingResult;
  evaluation: FinetuneEvaluation;
  /** PEFT adapter folder (lora, qlora) or full model folder (full). */
  output: string;
}

/**
 * `ferry finetune train`: loads the base, applies LoRA / QLoRA (or trains
 * every weight), trains with the config's loop options (checkpoints in
 * `<outputDir>/checkpoints`, resumable), evaluates on the validation rows
 * every `evalEvery` steps (validation loss, accuracy, weighted F1), and
 * writes the adapter (or full model), loss curve and final evaluation.
 */
export async function runFinetune(config: FinetuneConfig, options: { baseDir: string; onEvent?: (event: TrainingEvent) => void; kernels?: KernelRegistry }): Promise<FinetuneRunResult> {
  if (config.data.packing) {
    throw finetuneError('data.packing', 'packing is not used: training runs one unpadded sequence at a time, so there is no padding to save', 'Remove data.packing.', { code: 'CONFIG_INVALID' });
  }
  const kernels = options.kernels ?? (await defaultKernels());
  const base = await loadFinetuneBase(config, options.baseDir, kernels);
  const data = await loadFinetuneData(config, options.baseDir);
  const outputDir = resolveFrom(options.baseDir, config.outputDir);
  await mkdir(outputDir, { recursive: true });
  let lora: LoraModel | undefined;
  if (config.mode !== 'full') {
    lora = await applyLora(base.model, config.lora, { seed: config.training.seed, ...(config.mode === 'qlora' ? { quantizeBase: 'nf4' as const } : {}) });
  }
  const examples = data.train.map((row) => {
    const { inputIds, labels } = buildTrainingExample(formatExample(base.tokenizer, config.prompt, row.text, row.label), config.data.maxLength);
    return { ids: inputIds, labels };
  });
  const evaluate = async () => {
    const { evaluation } = await evaluateClassifier(base, config, data);
    return { loss: evaluation.loss, metrics: { accuracy: evaluation.report.accuracy, weightedF1: evaluation.report.weightedF1, macroF1: evaluation.report.macroF1 } };
  };
  const objective = llamaObjective(base.model, lora ? { kind: 'lora', lora } : { kind: 'full' }, evaluate);
  const training = await trainLoop(
    kernels.ops,
    objective,
    { size: examples.length, batch: (indices) => indices.map((i) => examples[i]!) },
    { ...config.training, checkpointDir: join(outputDir, 'checkpoints') },
    options.onEvent ? { onEvent: options.onEvent } : {},
  );
  await writeLossCurve(join(outputDir, 'loss-curve.svg'), training.history);
  const final = await evaluateClassifier(base, config, data);
  await writeEvaluation(join(outputDir, 'eval'), config, data, final);
  const output = lora ? join(outputDir, 'adapter') : join(outputDir, 'model');
  if (lora) await exportLoraAdapter(output, lora, config.model);
  else await saveLlamaModel(output, base.model, base.folder);
  return { training, evaluation: final.evaluation, output };
}

/** `ferry finetune eval`: the config's base (plus an adapter, when given) on its validation rows; writes the evaluation into outDir. */
export async function evaluateFinetune(config: FinetuneConfig, options: { baseDir: string; adapter?: string; outDir: string; kernels?: KernelRegistry }): Promise<FinetuneEvaluation> {
  const base = await loadFinetuneBase(config, options.baseDir, options.kernels);
  if (options.adapter) await loadLoraAdapter(base.model, options.adapter, config.mode === 'qlora' ? { quantizeBase: 'nf4' } : {});
  const data = await loadFinetuneData(config, options.baseDir);
  const result = await evaluateClassifier(base, config, data);
  await writeEvaluation(options.outDir, config, data, result);
  return result.evaluation;
}

const PEFT_NAME = /^base_model\.model\.model\.layers\.(\d+)\.(?:self_attn|mlp)\.([a-z]+)_proj\.lora_(A|B)\.weight$/;

/**
 * `ferry finetune export`: the LoRA factors of a training checkpoint (the
 * newest in `<outputDir>/checkpoints` unless a file is named) as a PEFT
 * adapter folder.
 */
export async function exportCheckpointAdapter(config: FinetuneConfig, options: { baseDir: string; checkpoint?: string; outDir: string }): Promise<{ checkpoint: string; step: number }> {
  if (config.mode === 'full' || config.lora === undefined) {
    throw finetuneError('mode', 'a full fine-tuning checkpoint holds model weights, not an adapter', 'Export adapters of lora / qlora runs; a full run writes its model folder at the end.', { code: 'CONFIG_INVALID' });
  }
  const dir = join(resolveFrom(options.baseDir, config.outputDir), 'checkpoints');
  const path = options.checkpoint ? resolveFrom(options.baseDir, options.checkpoint) : await findLatestCheckpoint(dir);
  if (path === undefined) throw finetuneError('checkpoint', `no checkpoint in ${dir}`, 'Train with checkpointEvery set, or name the checkpoint file.');
  const checkpoint = await loadCheckpoint(path);
  const pairs = new Map<string, LoraModuleWeights>();
  for (const [name, tensor] of checkpoint.params) {
    const match = PEFT_NAME.exec(name);
    if (!match) throw finetuneError('checkpoint', `${path} holds "${name}", not a LoRA factor`, 'Export checkpoints of lora / qlora runs.');
    const module = match[2] as LoraTargetModule;
    const key = `${match[1]}.${module}`;
    const entry = pairs.get(key) ?? { layer: Number(match[1]), module, a: tensor, b: tensor };
    if (match[3] === 'A') entry.a = tensor;
    else entry.b = tensor;
    pairs.set(key, entry);
  }
  await writePeftAdapter(resolveFrom(options.baseDir, options.outDir), { config: config.lora, baseModel: config.model, weights: [...pairs.values()] });
  return { checkpoint: path, step: checkpoint.step };
}

/** `ferry finetune merge`: base + adapter folded into one model folder (safetensors with Hugging Face names). */
export async function mergeAdapterIntoModel(config: Pick<FinetuneConfig, 'model' | 'tokenizer'>, options: { baseDir: string; adapter: string; outDir: string }): Promise<string> {
  const base = await loadFinetuneBase(config, options.baseDir);
  const lora = await loadLoraAdapter(base.model, resolveFrom(options.baseDir, options.adapter));
  const out = resolveFrom(options.baseDir, options.outDir);
  await saveLlamaModel(out, await mergeLora(lora), base.folder);
  return out;
}
