// One Ferry training configuration in its own process (so maxRSS is its own): builds the bench model,
// runs warm-up + timed optimizer steps (forward, backward, AdamW) and prints one JSON line.
//   node bench/finetune/ferry_step.mjs lora|qlora|full
import { createKernelRegistry } from '@ferry/core';
import { createNativeBackend, setNumThreads } from '@ferry/native';
import { AdamWOptimizer, applyLora, initLlamaModel, llamaParameters, sequenceLossAndGrads } from '../../packages/plugin-finetune/dist/index.js';
import { BENCH } from './bench-config.mjs';

const mode = process.argv[2];
const threads = Number(process.env.FERRY_NUM_THREADS ?? 2);
setNumThreads(threads);
const registry = createKernelRegistry();
registry.registerBackend(createNativeBackend(), '@ferry/native');
await registry.init();
const kernels = registry.ops;
const model = initLlamaModel(BENCH.config, kernels, { seed: 1 });
let params;
let lora;
if (mode === 'full') params = llamaParameters(model);
else {
  lora = await applyLora(model, BENCH.lora, { seed: 2, ...(mode === 'qlora' ? { quantizeBase: 'nf4' } : {}) });
  // Trained-looking B (PEFT starts it at 0) so no gradient is trivially zero.
  for (const w of lora.weights) w.b.data.forEach((_, i) => (w.b.data[i] = Math.sin(i) * 0.01));
  params = lora.parameters;
}
const optimizer = new AdamWOptimizer(kernels, params, { weightDecay: 0 });
const batch = Array.from({ length: BENCH.batch }, (_, b) => {
  const ids = Array.from({ length: BENCH.seq }, (_, t) => (t * 131 + b * 17 + 5) % BENCH.config.vocab_size);
  return { ids, labels: ids };
});
async function step() {
  const { loss, grads } = await sequenceLossAndGrads(model, batch, lora ? { lora } : { full: true });
  await optimizer.update(grads, 1e-4);
  return loss;
}
await step();
const times = [];
let loss = 0;
for (let i = 0; i < BENCH.steps; i++) {
  const t = performance.now();
  loss = await step();
  times.push((performance.now() - t) / 1e3);
}
let trainable = 0;
for (const p of params.values()) trainable += p.size;
let baseBytes = 0;
let baseParams = 0;
let quantBytes = 0;
let quantParams = 0;
for (const p of llamaParameters(model).values()) {
  baseParams += p.size;
  baseBytes += p.size * 4;
}
for (const { linear } of lora?.modules ?? []) {
  const base = linear.base;
  const n = base.shape[0] * base.shape[1];
  const bytes = 'packed' in base ? base.packed.size + base.absmaxQ.size + base.absmaxScale.size * 4 + 4 : n * 4;
  baseParams += n;
  baseBytes += bytes;
  quantParams += n;
  quantBytes += bytes;
}
console.log(JSON.stringify({
  mode, threads, stepSeconds: Math.min(...times), stepSecondsAll: times, loss,
  trainableParams: trainable, optimizerStateBytes: trainable * 8,
  baseParams, baseBytesPerParam: baseBytes / baseParams, adaptedBytesPerParam: quantParams ? quantBytes / quantParams : undefined,
  maxRssMiB: process.resourceUsage().maxRSS / 1024,
}));
