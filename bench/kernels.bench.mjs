// GEMM side by side in one run: Ferry's native backend (C++ SIMD, thread
// pool), the js reference, NumPy/OpenBLAS and onnxruntime-node's MatMul, on
// square sizes and the projection shapes a LoRA fine-tune of a 0.5B model
// runs; decode, one row times a weight stored [N, K] as a Linear reads it
// (x @ W^T), on a small model's projection and vocabulary shapes; NF4 fused
// matmul against fp32 (speed and bytes per parameter); and
// the event loop's delay while a 2048^3 GEMM runs on the native backend.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Tensor, jsKernels } from '@ferry/core';
import { createNativeBackend, cpuFeatures } from '@ferry/native';
import { matmulModel } from './lib/onnx-matmul-model.mjs';

const python = process.env.PYTHON ?? 'python3';
const threads = Number(process.env.FERRY_NUM_THREADS ?? 2);
const SQUARE = [256, 512, 1024, 2048];
// [M, K, N]: a 512-token batch through Qwen2.5-0.5B's attention and MLP projections.
const LLM = [
  [512, 896, 896],
  [512, 896, 4864],
  [512, 4864, 896],
];
// [M, K, N] of x @ W^T with W [N, K]: one decoded token through projections and an LM head.
const DECODE = [
  [1, 768, 768],
  [1, 768, 2048],
  [1, 2048, 768],
  [1, 768, 32000],
  [4, 768, 2048],
];

const native = createNativeBackend();
const nativeOk = await Promise.resolve()
  .then(() => native.available())
  .catch((error) => {
    console.log(`native backend unavailable: ${error.message}`);
    return false;
  });

const data = (n, f) => Float32Array.from({ length: n }, (_, i) => f(i));

async function timeMs(fn, reps) {
  await fn();
  const runs = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    await fn();
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  // Best of the runs, on both sides: on a shared 2-core VM, noise only ever adds time.
  return Math.min(...runs);
}

/** Best-of-5 ms of a @ b in NumPy, or a @ b.T with b stored [n, k] when `transB`. */
function numpyMs(shapes, transB = false) {
  const script = `
import json, sys, time, numpy as np
out = []
trans = sys.argv[2] == '1'
for m, k, n in json.loads(sys.argv[1]):
    a = np.sin(np.arange(m*k, dtype=np.float32)).reshape(m, k); b = np.cos(np.arange(k*n, dtype=np.float32)).reshape(k, n)
    if trans: b = np.ascontiguousarray(b.T).T
    a @ b
    ts = []
    for _ in range(5):
        t = time.perf_counter(); a @ b; ts.append((time.perf_counter() - t) * 1e3)
    out.append(min(ts))
print(json.dumps(out))`;
  const r = spawnSync(python, ['-c', script, JSON.stringify(shapes), transB ? '1' : '0'], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) },
  });
  return r.status === 0 ? JSON.parse(r.stdout) : shapes.map(() => undefined);
}

async function onnxSession() {
  try {
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(matmulModel(), { intraOpNumThreads: threads, interOpNumThreads: 1 });
    return { ort, session };
  } catch (error) {
    console.log(`onnxruntime-node unavailable: ${error.message}`);
    return undefined;
  }
}

const shapes = [...SQUARE.map((n) => [n, n, n]), ...LLM];
const numpy = numpyMs(shapes);
const onnx = await onnxSession();
const rows = [];
for (const [i, [m, k, n]] of shapes.entries()) {
  const a = Tensor.from(data(m * k, Math.sin), [m, k]);
  const b = Tensor.from(data(k * n, Math.cos), [k, n]);
  const flops = 2 * m * k * n;
  const reps = flops > 4e9 ? 3 : 7;
  const nativeMs = nativeOk ? await timeMs(() => native.kernels.matmul(a, b), reps) : undefined;
  const jsMs = flops <= 2 * 512 ** 3 ? await timeMs(() => jsKernels.matmul(a, b), 3) : undefined;
  const onnxMs = onnx
    ? await timeMs(() => onnx.session.run({ A: new onnx.ort.Tensor('float32', a.data, [m, k]), B: new onnx.ort.Tensor('float32', b.data, [k, n]) }), reps)
    : undefined;
  const gf = (ms) => (ms === undefined ? undefined : flops / (ms * 1e6));
  rows.push({ shape: `${m}x${k}x${n}`, native: gf(nativeMs), js: gf(jsMs), numpy: gf(numpy[i]), onnx: gf(onnxMs) });
}

const fmt = (x) => (x === undefined ? '-' : x.toFixed(1));
const ratio = (x, y) => (x === undefined || y === undefined ? '-' : `${(x / y).toFixed(2)}x`);
console.log(`sgemm GFLOP/s, ${threads} threads, native ISA: ${nativeOk ? JSON.stringify(cpuFeatures()) : 'n/a'}`);
console.log('shape            native      js   numpy    onnx  native/numpy  native/onnx');
for (const r of rows) {
  console.log(
    `${r.shape.padEnd(16)} ${fmt(r.native).padStart(6)} ${fmt(r.js).padStart(7)} ${fmt(r.numpy).padStart(7)} ${fmt(r.onnx).padStart(7)} ${ratio(r.native, r.numpy).padStart(13)} ${ratio(r.native, r.onnx).padStart(12)}`,
  );
}

// Decode rows are ms per call, not GFLOP/s: a single row is bound by reading the weight, not by arithmetic.
const decodeNumpy = numpyMs(DECODE, true);
const decode = [];
for (const [i, [m, k, n]] of DECODE.entries()) {
  const x = Tensor.from(data(m * k, Math.sin), [m, k]);
  const w = Tensor.from(data(n * k, Math.cos), [n, k]);
  const reps = n * k > 1e7 ? 7 : 25;
  const nativeMs = nativeOk ? await timeMs(() => native.kernels.matmul(x, w, { transB: true }), reps) : undefined;
  const jsMs = await timeMs(() => jsKernels.matmul(x, w, { transB: true }), 3);
  decode.push({ shape: `${m}x${k} @ [${n}x${k}]^T`, nativeMs, jsMs, numpyMs: decodeNumpy[i] });
}
const ms = (x) => (x === undefined ? '-' : x.toFixed(3));
console.log('\ndecode x @ W^T, ms per call (best of runs)');
console.log('shape                       native       js    numpy  numpy/native');
for (const r of decode) {
  console.log(`${r.shape.padEnd(26)} ${ms(r.nativeMs).padStart(7)} ${ms(r.jsMs).padStart(8)} ${ms(r.numpyMs).padStart(8)} ${ratio(r.numpyMs, r.nativeMs).padStart(13)}`);
}

let nf4 = undefined;
if (nativeOk && native.kernels.nf4Matmul && native.kernels.quantizeNf4) {
  const [m, k, n] = [512, 896, 4864];
  const x = Tensor.from(data(m * k, Math.sin), [m, k]);
  const w = Tensor.from(data(n * k, (i) => Math.cos(i) * 0.02), [n, k]);
  const q = await native.kernels.quantizeNf4(w);
  const fp32Ms = await timeMs(() => native.kernels.matmul(x, w, { transB: true }), 5);
  const nf4Ms = await timeMs(() => native.kernels.nf4Matmul(x, q), 5);
  const bytes = q.packed.data.byteLength + q.absmaxQ.data.byteLength + q.absmaxScale.data.byteLength + 4;
  nf4 = { shape: `${m}x${k}x${n}`, fp32Ms, nf4Ms, bitsPerParam: (bytes * 8) / (n * k), fp32BitsPerParam: 32 };
  console.log(`\nnf4Matmul ${nf4.shape}: ${nf4Ms.toFixed(1)} ms vs fp32 matmul ${fp32Ms.toFixed(1)} ms; ${nf4.bitsPerParam.toFixed(3)} bits/param vs 32`);
}

let eventLoop = undefined;
if (nativeOk) {
  const n = 2048;
  const a = Tensor.from(data(n * n, Math.sin), [n, n]);
  const b = Tensor.from(data(n * n, Math.cos), [n, n]);
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const t0 = performance.now();
  await native.kernels.matmul(a, b);
  const gemmMs = performance.now() - t0;
  histogram.disable();
  eventLoop = { gemmMs, maxDelayMs: histogram.max / 1e6, p99DelayMs: histogram.percentile(99) / 1e6 };
  console.log(`\nevent loop during a ${n}^3 native GEMM (${gemmMs.toFixed(0)} ms): max delay ${eventLoop.maxDelayMs.toFixed(2)} ms, p99 ${eventLoop.p99DelayMs.toFixed(2)} ms`);
}

writeFileSync(
  new URL('./results/kernels.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, threads, rows, decode, nf4, eventLoop }, null, 2)}\n`,
);
