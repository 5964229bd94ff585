#!/usr/bin/env node
// GEMM and attention micro-benchmark of ferry_cuda.node: kernel-only time
// (CUDA events, device buffers) and, for GEMM, the end-to-end call from JS
// including the host<->device copies. Writes bench-cuda.json to $OUT when set.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const addon = createRequire(import.meta.url)('./build/ferry_cuda.node');
const device = addon.devices();
if (device.count === 0) {
  console.error(`bench-cuda: no CUDA device: ${device.error ?? 'none found'}`);
  process.exit(1);
}
console.log(`bench-cuda: ${device.name} (sm ${device.computeCapability}, ${(device.totalMemory / 2 ** 30).toFixed(0)} GiB)`);
const results = { device, gemm: [], attention: [] };

for (const n of [1024, 2048, 4096, 8192]) {
  const iterations = n >= 8192 ? 3 : 10;
  const kernelMs = addon.timeMatmul(n, n, n, iterations);
  const flops = 2 * n ** 3;
  const row = { n, kernelMs, kernelGflops: flops / kernelMs / 1e6 };
  if (n <= 4096) {
    const a = new Float32Array(n * n).fill(1);
    const out = new Float32Array(n * n);
    const start = performance.now();
    addon.matmul(a, a, null, out, 1, n, n, n, false, false, false, 1, 0);
    row.endToEndMs = performance.now() - start;
    row.endToEndGflops = flops / row.endToEndMs / 1e6;
  }
  results.gemm.push(row);
  console.log(`gemm ${n}^3: kernel ${kernelMs.toFixed(2)} ms = ${row.kernelGflops.toFixed(0)} GFLOP/s${row.endToEndMs === undefined ? '' : `; with copies ${row.endToEndMs.toFixed(1)} ms = ${row.endToEndGflops.toFixed(0)} GFLOP/s`}`);
}

for (const [batch, time, qHeads, kvHeads, dim] of [
  [1, 1024, 32, 8, 128],
  [1, 4096, 32, 8, 128],
  [8, 512, 32, 32, 64],
]) {
  const ms = addon.timeAttention(batch, time, time, qHeads, kvHeads, dim, 1 / Math.sqrt(dim), true, 3);
  // Causal: about half of the 4 * T * S * D multiply-adds per head (QK^T and PV).
  const flops = 2 * batch * qHeads * time * time * dim;
  results.attention.push({ batch, time, qHeads, kvHeads, dim, causal: true, ms, gflops: flops / ms / 1e6 });
  console.log(`attention B=${batch} T=S=${time} Hq=${qHeads} Hkv=${kvHeads} D=${dim} causal: ${ms.toFixed(2)} ms = ${(flops / ms / 1e6).toFixed(0)} GFLOP/s`);
}

if (process.env.OUT) {
  mkdirSync(process.env.OUT, { recursive: true });
  writeFileSync(join(process.env.OUT, 'bench-cuda.json'), `${JSON.stringify(results, null, 2)}\n`);
}
