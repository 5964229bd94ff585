// Ferry's js reference matmul against NumPy (OpenBLAS) on the same square
// sizes, in one run: the baseline the native kernels must close.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Tensor, jsKernels } from '@ferry/core';

const SIZES = [64, 128, 256, 512];
const python = process.env.PYTHON ?? 'python3';

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeJs(n) {
  const a = Tensor.from(Float32Array.from({ length: n * n }, (_, i) => Math.sin(i)), [n, n]);
  const b = Tensor.from(Float32Array.from({ length: n * n }, (_, i) => Math.cos(i)), [n, n]);
  jsKernels.matmul(a, b);
  const runs = [];
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    jsKernels.matmul(a, b);
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(runs);
}

function timeNumpy(n) {
  const script = `
import time, numpy as np
n=${n}
a=np.sin(np.arange(n*n,dtype=np.float32)).reshape(n,n); b=np.cos(np.arange(n*n,dtype=np.float32)).reshape(n,n)
a@b
ts=[]
for _ in range(5):
    t=time.perf_counter(); a@b; ts.append((time.perf_counter()-t)*1e3)
ts.sort(); print(ts[len(ts)//2])`;
  const r = spawnSync(python, ['-c', script], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  return Number(r.stdout.trim());
}

const rows = SIZES.map((n) => {
  const js = timeJs(n);
  const numpy = timeNumpy(n);
  const gflops = (ms) => (2 * n ** 3) / (ms * 1e6);
  return { n, jsMs: js, jsGflops: gflops(js), numpyMs: numpy, numpyGflops: numpy && gflops(numpy), ratio: numpy && js / numpy };
});

if (rows.some((r) => r.numpyMs === undefined)) console.log(`(NumPy not found through "${python}": peer column empty; set PYTHON to a python3 with numpy)`);
console.log('   n |   js ms | js GFLOP/s | numpy ms | numpy GFLOP/s | js / numpy');
for (const r of rows) {
  console.log(
    `${String(r.n).padStart(4)} | ${r.jsMs.toFixed(2).padStart(7)} | ${r.jsGflops.toFixed(2).padStart(10)} | ${r.numpyMs?.toFixed(3).padStart(8) ?? '       -'} | ${r.numpyGflops?.toFixed(1).padStart(13) ?? '            -'} | ${r.ratio ? `${r.ratio.toFixed(0)}x slower` : '-'}`,
  );
}
writeFileSync(new URL('./results/matmul-js-vs-numpy.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`);
