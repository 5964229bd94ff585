// LoRA train-step time and peak memory, Ferry (native kernels) against PyTorch 1.13 (Debian, CPU, fp32), one run:
// Llama dim 288, 6 layers, 6 heads, vocab 512, batch 8 x 256 tokens, r = 8 on q, k, v, o; LoRA vs full
// fine-tuning (trainable parameters, optimizer memory, step time); QLoRA's bytes per base parameter.
// Each configuration runs in its own process, so its peak RSS is its own.
//
//   npx tsc -b packages/plugin-finetune && node bench/finetune/finetune.bench.mjs
//
// Env: FERRY_NUM_THREADS (default 2; also OMP_NUM_THREADS for torch), PYTHON (default /usr/bin/python3),
// FINETUNE_BENCH_STEPS (timed steps after one warm-up, default 3; best is reported), FINETUNE_BENCH_SEQ / _BATCH.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH } from './bench-config.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const python = process.env.PYTHON ?? '/usr/bin/python3';
const threads = Number(process.env.FERRY_NUM_THREADS ?? 2);
const env = { ...process.env, OMP_NUM_THREADS: String(threads), FERRY_NUM_THREADS: String(threads) };

function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8', env, maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}
const ferry = (mode) => run(process.execPath, [join(here, 'ferry_step.mjs'), mode]);
const torch = (mode) => run(python, [join(here, 'torch_finetune.py'), mode, String(BENCH.steps), String(BENCH.seq), String(BENCH.batch)]);

// Names on the command line rerun only those configurations, keeping the others from the last results file.
const resultsFile = join(here, 'results', 'finetune.json');
const only = process.argv.slice(2);
const results = only.length > 0 && existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')).results : {};
const configurations = [['torchLora', () => torch('lora')], ['ferryLora', () => ferry('lora')], ['ferryQlora', () => ferry('qlora')], ['torchFull', () => torch('full')], ['ferryFull', () => ferry('full')]];
for (const [name, fn] of configurations.filter(([name]) => only.length === 0 || only.includes(name))) {
  console.log(`${name}...`);
  results[name] = fn();
  console.log(JSON.stringify(results[name]));
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify({ at: new Date().toISOString(), node: process.version, threads, bench: BENCH, results }, null, 2)}\n`);
}
const r = results;
const row = (label, x, ref) => `| ${label} | ${x.stepSeconds.toFixed(2)} | ${ref ? (x.stepSeconds / ref.stepSeconds).toFixed(2) + 'x' : '-'} | ${x.trainableParams.toLocaleString('en-US')} | ${(x.optimizerStateBytes / 2 ** 20).toFixed(2)} | ${x.maxRssMiB.toFixed(0)} |`;
console.log(`\n${BENCH.batch} x ${BENCH.seq} tokens per step, best of ${BENCH.steps}, ${threads} threads\n`);
console.log('| configuration | step s | time vs PyTorch | trainable params | AdamW state MiB | peak RSS MiB |\n| --- | --- | --- | --- | --- | --- |');
console.log(row('PyTorch LoRA', r.torchLora));
console.log(row('Ferry LoRA', r.ferryLora, r.torchLora));
console.log(row('Ferry QLoRA (NF4 base)', r.ferryQlora, r.torchLora));
console.log(row('PyTorch full', r.torchFull));
console.log(row('Ferry full', r.ferryFull, r.torchFull));
console.log(`\nQLoRA: adapted weights take ${r.ferryQlora.adaptedBytesPerParam.toFixed(3)} bytes per parameter (${(r.ferryQlora.adaptedBytesPerParam * 8).toFixed(2)} bits) against 4 in f32; ` +
  `whole base ${r.ferryQlora.baseBytesPerParam.toFixed(3)} bytes per parameter (embeddings, norms, MLP and head stay f32 here)`);
