// The real run of issue 7: a small byte-level Llama pretrained from random init on the training texts
// (full fine-tuning mode), then LoRA-tuned to answer the sentiment label, evaluated on sent_valid.csv by
// label scoring before and after LoRA. Not part of the test suite (minutes of CPU).
//
//   npx tsc -b packages/plugin-finetune && node packages/plugin-finetune/scripts/finance-sentiment.mjs
//
// Env: PRETRAIN_STEPS (default 600), LORA_STEPS (700), LORA_LR (8e-3), OVERSAMPLE (2), BATCH (8), MAX_LEN (96), VALID_LIMIT (all),
// OUT (adapter + pretrained base; default a temp folder), BASE (skip pretraining, load this base folder). Writes docs/finance-sentiment/ beside this script's package.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultKernels, loadLlama } from '@ferry/llama';
import {
  applyLora, buildTrainingExample, ByteTokenizer, classificationReport, classifyByLabelScores, confusionMatrixSvg, confusionMatrixText,
  createLabelMap, exportLoraAdapter, FINANCE_SENTIMENT_LABELS, formatClassificationReport, formatExample, initLlamaModel, llamaObjective,
  loraParameterReport, fullParameterReport, parseLoraConfig, predictionReviewSample, readDataset, reviewSampleMarkdown, scorerFromLogits,
  saveLlamaModel, trainLoop, writeLossCurve,
} from '@ferry/plugin-finetune';
import { z } from 'zod';

const DATA = '/work/shared/data/finance-sentiment';
const DOCS = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'finance-sentiment');
const env = (name, fallback) => (process.env[name] === undefined ? fallback : Number(process.env[name]));
const PRETRAIN_STEPS = env('PRETRAIN_STEPS', 600);
const LORA_STEPS = env('LORA_STEPS', 700);
const LORA_LR = env('LORA_LR', 8e-3);
// Negative and positive examples are repeated this many times in the LoRA training set (neutral is 65% of it).
const OVERSAMPLE = env('OVERSAMPLE', 2);
const BATCH = env('BATCH', 8);
const MAX_LEN = env('MAX_LEN', 96);
const VALID_LIMIT = env('VALID_LIMIT', Infinity);
const OUT = process.env.OUT ?? (await mkdtemp(join(tmpdir(), 'ferry-finance-sentiment-')));

const MODEL_CONFIG = {
  model_type: 'llama', hidden_size: 128, intermediate_size: 344, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 4,
  vocab_size: 258, max_position_embeddings: 256, rms_norm_eps: 1e-5, rope_theta: 10000, tie_word_embeddings: true,
};
const LORA = parseLoraConfig({ r: 16, alpha: 32, dropout: 0.05, targetModules: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] });
const FORMAT = { kind: 'instruction', instruction: 'sentiment', template: '{input}\n=> ' };

const labelMap = createLabelMap(FINANCE_SENTIMENT_LABELS);
// Links (https://t.co/...) carry no sentiment and cost ~24 byte tokens each; they are dropped.
const clean = (text) => text.replace(/https?:\/\/\S+/g, '').replace(/\s+/g, ' ').trim();
const rowSchema = z.object({ text: z.string().transform(clean).pipe(z.string().min(1)), label: labelMap.schema });
const train = (await readDataset(join(DATA, 'sent_train.csv'), { schema: rowSchema, skipBadRows: true }));
const valid = (await readDataset(join(DATA, 'sent_valid.csv'), { schema: rowSchema, skipBadRows: true }));
const validRows = valid.rows.slice(0, VALID_LIMIT).map((r) => ({ text: r.value.text, label: r.value.label, line: r.line }));
console.log(`train ${train.rows.length} rows (${train.skipped.length} skipped), valid ${validRows.length} rows (${valid.skipped.length} skipped)`);

const registry = await defaultKernels();
const kernels = registry.ops;
const tokenizer = new ByteTokenizer();
// BASE=<folder>: reuse the base a previous run saved (OUT/base) instead of pretraining again.
const model = process.env.BASE ? (await loadLlama(process.env.BASE, { kernels: registry, tokenizer: false })).model : initLlamaModel(MODEL_CONFIG, kernels, { seed: 7 });
const log = (prefix) => (event) => {
  if (event.type === 'progress' && (event.current % 25 === 0 || event.current === event.total)) console.log(`${prefix} ${event.current}/${event.total} ${event.message}`);
};
const started = Date.now();

// 1. Pretraining (full fine-tuning): next-byte prediction on the training texts, every token counted.
const lmSequences = train.rows.map((r) => {
  const ids = [...tokenizer.encode(r.value.text).slice(0, MAX_LEN - 1), tokenizer.eosTokenId];
  return { ids, labels: ids };
});
const pretrain = process.env.BASE ? { steps: 0, history: { train: [{ loss: NaN }], eval: [] } } : await trainLoop(kernels, llamaObjective(model, { kind: 'full' }), { size: lmSequences.length, batch: (idx) => idx.map((i) => lmSequences[i]) }, {
  seed: 1, batchSize: BATCH, maxGradNorm: 1,
  schedule: { kind: 'cosine', lr: 3e-3, totalSteps: PRETRAIN_STEPS, warmupRatio: 0.05 },
  optimizer: { weightDecay: 0.01 },
}, { onEvent: log('pretrain') });
const pretrainSeconds = (Date.now() - started) / 1000;
if (!process.env.BASE) {
  await mkdir(join(OUT, 'base'), { recursive: true });
  await writeFile(join(OUT, 'base', 'config.json'), JSON.stringify(MODEL_CONFIG, null, 2));
  await saveLlamaModel(join(OUT, 'base'), model, join(OUT, 'base'));
}

// 2. Evaluation by label scoring (the same format LoRA trains on).
const score = scorerFromLogits(async (ids) => (await model.forward(ids)).logits);
async function evaluate(tag) {
  const t = Date.now();
  const predictions = await classifyByLabelScores(validRows, { labels: labelMap.labels, tokenizer, format: FORMAT, score });
  const report = classificationReport(labelMap.labels, predictions.map((p) => p.gold), predictions.map((p) => p.predicted));
  console.log(`${tag}: accuracy ${report.accuracy.toFixed(4)} weighted F1 ${report.weightedF1.toFixed(4)} (${((Date.now() - t) / 1000).toFixed(0)} s)`);
  return { predictions, report };
}
const before = await evaluate('before LoRA');

// 3. LoRA for classification: prompt masked, loss on the label + EOS.
const lora = await applyLora(model, LORA, { seed: 11 });
const examples = train.rows.flatMap((r) => Array.from({ length: r.value.label === 'neutral' ? 1 : OVERSAMPLE }, () => r)).map((r) => {
  const { inputIds, labels } = buildTrainingExample(formatExample(tokenizer, FORMAT, r.value.text, r.value.label), MAX_LEN + 12);
  return { ids: inputIds, labels };
});
const loraStarted = Date.now();
const tuned = await trainLoop(kernels, llamaObjective(model, { kind: 'lora', lora }), { size: examples.length, batch: (idx) => idx.map((i) => examples[i]) }, {
  seed: 2, batchSize: BATCH, maxGradNorm: 1,
  schedule: { kind: 'linear', lr: LORA_LR, totalSteps: LORA_STEPS, warmupRatio: 0.05 },
  optimizer: { weightDecay: 0 },
}, { onEvent: log('lora') });
const loraSeconds = (Date.now() - loraStarted) / 1000;
const after = await evaluate('after LoRA');

// 4. Artefacts.
await mkdir(DOCS, { recursive: true });
if (!process.env.BASE) await writeLossCurve(join(DOCS, 'pretrain-loss.svg'), pretrain.history);
await writeLossCurve(join(DOCS, 'lora-loss.svg'), tuned.history);
await writeFile(join(DOCS, 'confusion-matrix.svg'), confusionMatrixSvg(after.report.confusion, 'sent_valid.csv after LoRA'));
await writeFile(join(DOCS, 'review-sample.md'), reviewSampleMarkdown(predictionReviewSample(after.predictions, { size: 12, seed: 3 }), labelMap.labels));
await exportLoraAdapter(join(OUT, 'adapter'), lora, 'ferry-byte-llama-128x2 (pretrained by scripts/finance-sentiment.mjs)');
const configShape = { hiddenSize: 128, intermediateSize: 344, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 4, vocabSize: 258, tieWordEmbeddings: true };
const mean = (records) => records.reduce((s, r) => s + r.loss, 0) / records.length;
const summary = {
  model: MODEL_CONFIG, lora: LORA, loraLr: LORA_LR, oversample: OVERSAMPLE, loraExamples: examples.length, format: FORMAT, batch: BATCH, maxLength: MAX_LEN, backend: registry.backendFor('matmul'),
  parameters: { lora: loraParameterReport(configShape, LORA).text, full: fullParameterReport(configShape).text },
  pretrain: { steps: pretrain.steps, seconds: pretrainSeconds, firstLoss: pretrain.history.train[0].loss, last25MeanLoss: mean(pretrain.history.train.slice(-25)) },
  loraRun: { steps: tuned.steps, seconds: loraSeconds, firstLoss: tuned.history.train[0].loss, last25MeanLoss: mean(tuned.history.train.slice(-25)) },
  validation: {
    rows: validRows.length,
    majorityBaseline: after.report.majorityBaseline,
    beforeLora: { accuracy: before.report.accuracy, macroF1: before.report.macroF1, weightedF1: before.report.weightedF1 },
    afterLora: { accuracy: after.report.accuracy, macroF1: after.report.macroF1, weightedF1: after.report.weightedF1 },
  },
  reportAfter: formatClassificationReport(after.report),
  confusionAfter: confusionMatrixText(after.report.confusion),
  confusionBefore: confusionMatrixText(before.report.confusion),
  totalSeconds: (Date.now() - started) / 1000,
  adapter: join(OUT, 'adapter'),
  base: join(OUT, 'base'),
};
await writeFile(join(DOCS, 'results.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(JSON.stringify(summary, null, 2));
