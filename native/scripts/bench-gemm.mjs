#!/usr/bin/env node
// Square SGEMM GFLOP/s of the native backend next to numpy (OpenBLAS) in the
// same run, best of several interleaved rounds so a noisy neighbour hurts both
// sides alike. Usage: node scripts/bench-gemm.mjs [sizes...]  (after tsc -b)
import { spawnSync } from 'node:child_process';
import { createRng, randomUniform } from '@ferry/core';
import { cpuFeatures, createNativeBackend } from '../dist/index.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (sizes.length === 0) sizes.push(256, 512, 1024);
const ROUNDS = 3;
const matmul = createNativeBackend().kernels.matmul;
if (!matmul) throw new Error('native addon not built: run node scripts/build-native.mjs');

async function native(n) {
  const rng = createRng(n);
  const a = randomUniform(rng, [n, n]);
  const b = randomUniform(rng, [n, n]);
  await matmul(a, b);
  const reps = Math.max(5, Math.round(4e9 / (2 * n ** 3)));
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    await matmul(a, b);
    best = Math.min(best, performance.now() - start);
  }
  return (2 * n ** 3) / (best / 1000) / 1e9;
}

function numpy(n) {
  const script = `
import numpy as np, time
n=${n}; a=np.random.rand(n,n).astype(np.float32); b=np.random.rand(n,n).astype(np.float32); a@b
best=1e9
for _ in range(max(5, round(4e9/(2*n**3)))):
    t=time.perf_counter(); a@b; best=min(best, time.perf_counter()-t)
print(2*n**3/best/1e9)`;
  const out = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
  return out.status === 0 ? Number(out.stdout.trim()) : NaN;
}

const features = cpuFeatures();
console.log(`native: ${features?.gemmKernel}, ${features?.threads} threads; numpy threads: OpenBLAS default (OPENBLAS_NUM_THREADS=${process.env.OPENBLAS_NUM_THREADS ?? 'unset'})`);
console.log('    n   native GFLOP/s   numpy GFLOP/s   ratio');
for (const n of sizes) {
  let bestNative = 0;
  let bestNumpy = 0;
  for (let round = 0; round < ROUNDS; round++) {
    bestNative = Math.max(bestNative, await native(n));
    bestNumpy = Math.max(bestNumpy, numpy(n));
  }
  console.log(`${String(n).padStart(5)}   ${bestNative.toFixed(1).padStart(14)}   ${bestNumpy.toFixed(1).padStart(13)}   ${(bestNative / bestNumpy).toFixed(2)}`);
}
