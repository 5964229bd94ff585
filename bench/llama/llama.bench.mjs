// Decode and prefill tokens/s of a 110M-parameter Llama (llama2.c's stories110M
// shape: dim 768, 12 layers, 12 heads, vocab 32000, random weights) on Ferry's
// `native` and `js` kernels, side by side in one run with PyTorch (CPU, f32)
// generating with a KV cache on the same safetensors file. Also times the
// decode step's matrix-vector products alone (native matmul with m = 1 vs torch).
//
//   node bench/llama/llama.bench.mjs     (after `npx tsc -b packages/llama`)
//
// Environment: FERRY_NUM_THREADS (default 2, also torch's threads), PYTHON (default
// /usr/bin/python3, needs torch), LLAMA_BENCH_PREFILL / LLAMA_BENCH_DECODE (default
// 128 / 32; js runs a quarter of each, it is the slow reference), LLAMA_BENCH_DIR
// (reuse a model folder written by an earlier run instead of a fresh temp one).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKernelRegistry, Tensor } from '@ferry/core';
import { cpuFeatures, createNativeBackend, setNumThreads } from '@ferry/native';
import { argmax, loadLlama } from '../../packages/llama/dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const python = process.env.PYTHON ?? '/usr/bin/python3';
const threads = Number(process.env.FERRY_NUM_THREADS ?? 2);
const PREFILL = Number(process.env.LLAMA_BENCH_PREFILL ?? 128);
const DECODE = Number(process.env.LLAMA_BENCH_DECODE ?? 32);
const MATVEC = [
  [768, 768],
  [2048, 768],
  [768, 2048],
  [32000, 768],
];
const VOCAB = 32000;
const promptIds = (n) => Array.from({ length: n }, (_, i) => (i * 7919 + 13) % VOCAB);

function py(...args) {
  const result = spawnSync(python, [join(here, 'torch_llama.py'), ...args], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(threads) } });
  if (result.status !== 0) throw new Error(`torch_llama.py ${args[0]} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

async function timeForward(model, prefill, decode) {
  await model.forward(promptIds(8), { logits: 'last' }); // warm-up
  const cache = model.createCache(prefill + decode);
  let start = performance.now();
  let { logits } = await model.forward(promptIds(prefill), { cache, logits: 'last' });
  const prefillS = (performance.now() - start) / 1e3;
  const tokens = [];
  start = performance.now();
  for (let i = 0; i < decode; i++) {
    const token = argmax(logits.data);
    tokens.push(token);
    ({ logits } = await model.forward([token], { cache, logits: 'last' }));
  }
  const decodeS = (performance.now() - start) / 1e3;
  cache.dispose();
  return { prefillTokens: prefill, decodeTokens: decode, prefillTokensPerS: prefill / prefillS, decodeTokensPerS: decode / decodeS, tokens };
}

async function matvecMs(registry) {
  const out = {};
  for (const [n, k] of MATVEC) {
    const w = new Tensor('f32', Float32Array.from({ length: n * k }, (_, i) => Math.sin(i)), [n, k]);
    const x = new Tensor('f32', Float32Array.from({ length: k }, (_, i) => Math.cos(i)), [1, k]);
    await registry.ops.matmul(x, w, { transB: true });
    const runs = [];
    for (let r = 0; r < 5; r++) {
      const start = performance.now();
      await registry.ops.matmul(x, w, { transB: true });
      runs.push(performance.now() - start);
    }
    out[`${n}x${k}`] = Math.min(...runs);
  }
  return out;
}

const folder = process.env.LLAMA_BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'ferry-llama-bench-'));
try {
  if (!existsSync(join(folder, 'model.safetensors'))) console.log(`writing the 110M model: ${JSON.stringify(py('write', folder))}`);
  console.log(`torch: prefill ${PREFILL}, decode ${DECODE}, ${threads} threads...`);
  const torch = py('run', folder, String(PREFILL), String(DECODE), String(threads));

  const native = createKernelRegistry();
  native.registerBackend(createNativeBackend(), '@ferry/native');
  await native.init();
  const nativeOk = native.backendFor('matmul') === 'native';
  const results = { torch, backends: {} };
  if (nativeOk) {
    setNumThreads(threads);
    const { model } = await loadLlama(folder, { kernels: native, tokenizer: false });
    console.log(`native (${cpuFeatures()?.gemmKernel}, ${threads} threads)...`);
    results.backends.native = {
      ...(await timeForward(model, PREFILL, DECODE)),
      kernels: Object.fromEntries(['matmul', 'rmsnorm', 'rope', 'attention', 'silu'].map((k) => [k, native.backendFor(k)])),
      matvecMs: await matvecMs(native),
    };
  } else {
    console.log('native addon not built: native skipped');
  }
  const js = createKernelRegistry();
  const { model } = await loadLlama(folder, { kernels: js, tokenizer: false });
  console.log('js...');
  results.backends.js = { ...(await timeForward(model, Math.max(1, PREFILL / 4), Math.max(1, DECODE / 4))), matvecMs: await matvecMs(js) };

  const rows = [['torch 1.13 (CPU)', torch.prefillTokensPerS, torch.decodeTokensPerS]];
  for (const [name, r] of Object.entries(results.backends)) rows.push([`ferry ${name}`, r.prefillTokensPerS, r.decodeTokensPerS]);
  console.log('\n| runtime | prefill tok/s | decode tok/s | prefill vs torch | decode vs torch |\n| --- | --- | --- | --- | --- |');
  for (const [name, prefill, decode] of rows) {
    console.log(`| ${name} | ${prefill.toFixed(1)} | ${decode.toFixed(2)} | ${(prefill / torch.prefillTokensPerS).toFixed(2)}x | ${(decode / torch.decodeTokensPerS).toFixed(2)}x |`);
  }
  console.log('\nmatrix-vector (x[1,K] @ W[N,K]^T), best of 5, ms:\n| N x K | torch | ' + Object.keys(results.backends).join(' | ') + ' |');
  for (const key of Object.keys(torch.matvecMs)) {
    console.log(`| ${key} | ${torch.matvecMs[key].toFixed(3)} | ${Object.values(results.backends).map((r) => r.matvecMs[key].toFixed(3)).join(' | ')} |`);
  }
  if (nativeOk) {
    const same = results.backends.native.tokens.every((t, i) => t === torch.tokens[i]);
    console.log(`\nnative greedy tokens ${same ? 'equal' : 'DIFFER FROM'} torch's over ${DECODE} steps`);
    results.nativeTokensEqualTorch = same;
  }
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'llama.json'), `${JSON.stringify({ at: new Date().toISOString(), node: process.version, threads, prefill: PREFILL, decode: DECODE, ...results }, null, 2)}\n`);
} finally {
  if (process.env.LLAMA_BENCH_DIR === undefined) rmSync(folder, { recursive: true, force: true });
}
