// The real run of issue 7: a small word-level Llama pretrained from random init on the training texts
// (full fine-tuning mode, no labels), then LoRA-tuned to answer the sentiment label, evaluated on all of
// sent_valid.csv by label scoring before and after LoRA. Not part of the test suite (minutes of CPU).
//
//   npx tsc -b packages/plugin-finetune && node packages/plugin-finetune/scripts/finance-sentiment.mjs
//
// Env (defaults are the README's run): VOCAB, HIDDEN, LAYERS, PRETRAIN_STEPS, PRETRAIN_LR, PRETRAIN_BATCH, PACK_LEN, LORA_STEPS, LORA_LR, LORA_R,
// BATCH, MAX_LEN, VALID_LIMIT (all rows), OUT (adapter + base; default a temp folder), DOCS (where the artefacts go;
// default docs/finance-sentiment/ of this package).
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultKernels, loadLlama } from '@ferry/llama';
import {
  applyLora, buildTrainingExample, buildWordVocabulary, classificationReport, classifyByLabelScores, confusionMatrixSvg, confusionMatrixText,
  createLabelMap, exportLoraAdapter, FINANCE_SENTIMENT_LABELS, formatClassificationReport, formatExample, initLlamaModel, llamaObjective,
  loraParameterReport, fullParameterReport, parseLoraConfig, predictionReviewSample, llamaScorer, readDataset, reviewSampleMarkdown,
  saveLlamaModel, trainLoop, WordTokenizer, writeLossCurve,
} from '@ferry/plugin-finetune';
import { z } from 'zod';

const DATA = '/work/shared/data/finance-sentiment';
const DOCS = process.env.DOCS ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'finance-sentiment');
const env = (name, fallback) => (process.env[name] === undefined ? fallback : Number(process.env[name]));
const VOCAB = env('VOCAB', 4096);
const HIDDEN = env('HIDDEN', 128);
const LAYERS = env('LAYERS', 2);
// transformers' 0.02 suits hidden sizes of 768+; at 128 a tied embedding row that small caps every logit near
// sqrt(128) * 0.23 = 2.6, too low for a confident next-word prediction over thousands of words.
const INIT_STD = env('INIT_STD', 0.08);
const PRETRAIN_STEPS = env('PRETRAIN_STEPS', 800);
const PRETRAIN_LR = env('PRETRAIN_LR', 3e-3);
// Texts per pretraining step, packed into rows of up to PACK_LEN tokens.
const PRETRAIN_BATCH = env('PRETRAIN_BATCH', 32);
const PACK_LEN = env('PACK_LEN', 256);
const LORA_STEPS = env('LORA_STEPS', 2000);
const LORA_LR = env('LORA_LR', 1e-3);
const LORA_R = env('LORA_R', 16);
const BATCH = env('BATCH', 16);
const MAX_LEN = env('MAX_LEN', 48);
const VALID_LIMIT = env('VALID_LIMIT', Infinity);
const OUT = process.env.OUT ?? (await mkdtemp(join(tmpdir(), 'ferry-finance-sentiment-')));
// Copies of each training row in the LoRA set, per label (e.g. {"neutral":1,"positive":2,"negative":2} to weigh the
// minority classes up; neutral is 65% of the rows). Default: the rows as they are, which scored best.
const REPEAT = JSON.parse(process.env.REPEAT ?? '{"neutral":1,"positive":1,"negative":1}');

const labelMap = createLabelMap(FINANCE_SENTIMENT_LABELS);
// Links (https://t.co/...) carry no sentiment and split into a dozen unknown pieces each; they are dropped.
const clean = (text) => text.replace(/https?:\/\/\S+/g, '').replace(/\s+/g, ' ').trim();
const rowSchema = z.object({ text: z.string().transform(clean).pipe(z.string().min(1)), label: labelMap.schema });
const train = await readDataset(join(DATA, 'sent_train.csv'), { schema: rowSchema, skipBadRows: true });
const valid = await readDataset(join(DATA, 'sent_valid.csv'), { schema: rowSchema, skipBadRows: true });
const validRows = valid.rows.slice(0, VALID_LIMIT).map((r) => ({ text: r.value.text, label: r.value.label, line: r.line }));
console.log(`train ${train.rows.length} rows (${train.skipped.length} skipped), valid ${validRows.length} rows (${valid.skipped.length} skipped)`);

// The vocabulary comes from the training texts only; the label words and the prompt's `=>` are kept even where rare.
const vocabulary = buildWordVocabulary(train.rows.map((r) => r.value.text), { maxSize: VOCAB, required: [...labelMap.labels, '=', '>'] });
// BASE=<folder>: reuse the base (and vocabulary) a previous run saved in OUT/base instead of pretraining again.
const BASE = process.env.BASE;
const tokenizer = new WordTokenizer(BASE ? JSON.parse(await readFile(join(BASE, 'word-vocabulary.json'), 'utf8')) : vocabulary);
const MODEL_CONFIG = {
  model_type: 'llama', hidden_size: HIDDEN, intermediate_size: Math.round((HIDDEN * 8) / 3 / 8) * 8, num_hidden_layers: LAYERS,
  num_attention_heads: HIDDEN / 32, num_key_value_heads: HIDDEN / 32, vocab_size: tokenizer.vocabSize, max_position_embeddings: PACK_LEN,
  rms_norm_eps: 1e-5, rope_theta: 10000, tie_word_embeddings: true,
};
const LORA = parseLoraConfig({ r: LORA_R, alpha: 2 * LORA_R, dropout: env('LORA_DROPOUT', 0.05), targetModules: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] });
const FORMAT = { kind: 'instruction', instruction: 'sentiment', template: '{input} =>' };

const registry = await defaultKernels();
const kernels = registry.ops;
const model = BASE ? (await loadLlama(BASE, { kernels: registry, tokenizer: false })).model : initLlamaModel(MODEL_CONFIG, kernels, { seed: 7, initStd: INIT_STD });
const log = (prefix) => (event) => {
  if (event.type === 'progress' && (event.current % 50 === 0 || event.current === event.total)) console.log(`${prefix} ${event.current}/${event.total} ${event.message}`);
};
const started = Date.now();
const textIds = train.rows.map((r) => tokenizer.encode(r.value.text));
const allIds = textIds.flat();
const unknownShare = allIds.filter((id) => id === tokenizer.unkTokenId).length / allIds.length;
console.log(`vocabulary ${tokenizer.vocabSize}, ${(allIds.length / textIds.length).toFixed(1)} tokens per text, ${(100 * unknownShare).toFixed(1)}% <unk>`);

// 1. Pretraining (full fine-tuning, the "base model"): next-word prediction on the training texts, no labels.
// Packed as TRL packs: the texts of a micro-batch are joined (each ending in EOS) into rows of up to PACK_LEN
// tokens, so a matmul sees hundreds of rows instead of fifteen; tokens may attend across texts within a row.
const lmTexts = textIds.map((ids) => [...ids.slice(0, MAX_LEN - 1), tokenizer.eosTokenId]);
const packRows = (indices) => {
  const rows = [];
  let row = [];
  for (const i of indices) {
    if (row.length + lmTexts[i].length > PACK_LEN) {
      rows.push(row);
      row = [];
    }
    row = row.concat(lmTexts[i]);
  }
  if (row.length > 0) rows.push(row);
  return rows.map((ids) => ({ ids, labels: ids }));
};
const pretrain = BASE ? { steps: 0, history: { train: [], eval: [] } } : await trainLoop(kernels, llamaObjective(model, { kind: 'full' }), { size: lmTexts.length, batch: packRows }, {
  seed: 1, batchSize: PRETRAIN_BATCH, maxGradNorm: 1,
  schedule: { kind: 'cosine', lr: PRETRAIN_LR, totalSteps: PRETRAIN_STEPS, warmupRatio: 0.03 },
  optimizer: { weightDecay: 0.01 },
}, { onEvent: log('pretrain') });
const pretrainSeconds = (Date.now() - started) / 1000;
if (!BASE) {
  await mkdir(join(OUT, 'base'), { recursive: true });
  await writeFile(join(OUT, 'base', 'config.json'), JSON.stringify(MODEL_CONFIG, null, 2));
  await writeFile(join(OUT, 'base', 'word-vocabulary.json'), JSON.stringify(tokenizer.vocabulary));
  await saveLlamaModel(join(OUT, 'base'), model, join(OUT, 'base'));
}

// 2. Evaluation by label scoring: the log-likelihood of "<label></s>" after "<text> =>".
const score = llamaScorer(model);
async function evaluate(tag) {
  const t = Date.now();
  const predictions = await classifyByLabelScores(validRows, { labels: labelMap.labels, tokenizer, format: FORMAT, score });
  const report = classificationReport(labelMap.labels, predictions.map((p) => p.gold), predictions.map((p) => p.predicted));
  const seconds = (Date.now() - t) / 1000;
  console.log(`${tag}: accuracy ${report.accuracy.toFixed(4)} weighted F1 ${report.weightedF1.toFixed(4)} (${seconds.toFixed(0)} s)`);
  return { predictions, report, seconds };
}
const before = await evaluate('before LoRA');

// 3. LoRA for classification: prompt masked, loss on the label word + EOS.
const lora = await applyLora(model, LORA, { seed: 11 });
const examples = train.rows.flatMap((r) => Array.from({ length: REPEAT[r.value.label] }, () => r)).map((r) => {
  const { inputIds, labels } = buildTrainingExample(formatExample(tokenizer, FORMAT, r.value.text, r.value.label), MAX_LEN + 4);
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

// 4. Artefacts (small, committed): loss curves, confusion matrices, a review sample, the figures.
await mkdir(DOCS, { recursive: true });
if (!BASE) await writeLossCurve(join(DOCS, 'pretrain-loss.svg'), pretrain.history, 'Pretraining (full fine-tuning), loss per word');
await writeLossCurve(join(DOCS, 'lora-loss.svg'), tuned.history, 'LoRA, loss per response token (label + EOS)');
await writeFile(join(DOCS, 'confusion-matrix.svg'), confusionMatrixSvg(after.report.confusion, 'sent_valid.csv after LoRA'));
await writeFile(join(DOCS, 'confusion-matrix.txt'), `after LoRA\n${confusionMatrixText(after.report.confusion)}\n\nbase, before LoRA\n${confusionMatrixText(before.report.confusion)}\n`);
await writeFile(join(DOCS, 'review-sample.md'), reviewSampleMarkdown(predictionReviewSample(after.predictions, { size: 12, seed: 3 }), labelMap.labels));
await exportLoraAdapter(join(OUT, 'adapter'), lora, `ferry-word-llama-${HIDDEN}x${LAYERS} (pretrained by scripts/finance-sentiment.mjs)`);
const configShape = {
  hiddenSize: HIDDEN, intermediateSize: MODEL_CONFIG.intermediate_size, numHiddenLayers: LAYERS, numAttentionHeads: MODEL_CONFIG.num_attention_heads,
  numKeyValueHeads: MODEL_CONFIG.num_key_value_heads, vocabSize: tokenizer.vocabSize, tieWordEmbeddings: true,
};
const mean = (records) => records.reduce((s, r) => s + r.loss, 0) / records.length;
const metrics = (report) => ({ accuracy: report.accuracy, macroF1: report.macroF1, weightedF1: report.weightedF1 });
const summary = {
  model: MODEL_CONFIG, initStd: INIT_STD, tokenizer: { kind: 'word', vocabSize: tokenizer.vocabSize, tokensPerText: allIds.length / textIds.length, unknownShare },
  lora: LORA, loraLr: LORA_LR, repeat: REPEAT, loraExamples: examples.length, format: FORMAT, batch: BATCH, pretrainBatch: PRETRAIN_BATCH, packLength: PACK_LEN, maxLength: MAX_LEN,
  backend: registry.backendFor('matmul'),
  parameters: { lora: loraParameterReport(configShape, LORA).text, full: fullParameterReport(configShape).text },
  pretrain: { steps: pretrain.steps, lr: PRETRAIN_LR, seconds: pretrainSeconds, ...(BASE ? { base: BASE } : { firstLoss: pretrain.history.train[0].loss, last50MeanLoss: mean(pretrain.history.train.slice(-50)) }) },
  loraRun: { steps: tuned.steps, seconds: loraSeconds, firstLoss: tuned.history.train[0].loss, last50MeanLoss: mean(tuned.history.train.slice(-50)) },
  validation: {
    rows: validRows.length,
    majorityBaseline: after.report.majorityBaseline,
    beforeLora: { ...metrics(before.report), seconds: before.seconds },
    afterLora: { ...metrics(after.report), seconds: after.seconds },
  },
  reportBefore: formatClassificationReport(before.report),
  reportAfter: formatClassificationReport(after.report),
  totalSeconds: (Date.now() - started) / 1000,
  // Peak resident set of the whole run, in MiB (getrusage's ru_maxrss).
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  // Folders under OUT (a temp folder unless set): relative, so the committed results name no machine's paths.
  outputs: { adapter: 'adapter', base: 'base' },
};
await writeFile(join(DOCS, 'results.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(JSON.stringify(summary, null, 2));
