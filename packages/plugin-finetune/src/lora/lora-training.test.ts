import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKernelRegistry, Tensor } from '@ferry/core';
import { afterEach, describe, expect, it } from 'vitest';
import { readPeftAdapter, writePeftAdapter } from '../adapter/peft-adapter.js';
import { trainLoop } from '../train/train-loop.js';
import { TrainingRng } from '../train/training-rng.js';
import { parseLoraConfig } from './lora-config.js';
import { initLoraAdapterWeights, loraParameterMap } from './lora-adapter-weights.js';
import { loraLinearBackward, loraLinearForward, type LoraLinearLayer } from './lora-linear.js';

const kernels = createKernelRegistry().ops;
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('QLoRA on one layer, end to end without a model', () => {
  it('learns a low-rank change of a frozen NF4 weight, then exports and reloads the adapter', async () => {
    const rng = new TrainingRng(2024);
    const fill = (shape: number[], scale: number): Tensor<'f32'> => {
      const t = Tensor.zeros(shape, 'f32');
      for (let i = 0; i < t.size; i++) t.data[i] = rng.uniform(-scale, scale);
      return t;
    };
    const [inF, outF] = [32, 16];
    const base = fill([outF, inF], 0.3);
    // Teacher: base + a rank-2 update the adapter (r = 4) can represent.
    const delta = await kernels.matmul(fill([outF, 2], 0.5), fill([2, inF], 0.5));
    const teacher = base.clone();
    for (let i = 0; i < teacher.size; i++) teacher.data[i]! += delta.data[i]!;
    const xs = fill([64, inF], 1);
    const targets = await kernels.matmul(xs, teacher, { transB: true });

    const config = parseLoraConfig({ r: 4, alpha: 8, dropout: 0.05, targetModules: ['q'] });
    const weights = initLoraAdapterWeights({ hiddenSize: inF, intermediateSize: 8, numHiddenLayers: 1, numAttentionHeads: 2, vocabSize: 4, headDim: outF / 2 }, config, rng);
    const { a, b } = weights[0]!;
    const layer: LoraLinearLayer = { base: await kernels.quantizeNf4(base), a, b, scaling: 2, dropout: config.dropout };
    const params = loraParameterMap(weights);
    const [nameA, nameB] = [...params.keys()];

    const mse = async (rows: number[], training: boolean, stepRng?: TrainingRng) => {
      const x = Tensor.from(rows.flatMap((r) => [...xs.data.subarray(r * inF, (r + 1) * inF)]), [rows.length, inF]);
      const { y, cache } = await loraLinearForward(kernels, layer, x, { training, ...(stepRng ? { rng: stepRng } : {}) });
      const dy = Tensor.zeros(y.shape, 'f32');
      let loss = 0;
      rows.forEach((r, i) => {
        for (let j = 0; j < outF; j++) {
          const err = y.data[i * outF + j]! - targets.data[r * outF + j]!;
          loss += err * err;
          dy.data[i * outF + j] = (2 * err) / y.size;
        }
      });
      return { loss: loss / y.size, y, cache, dy };
    };
    const all = Array.from({ length: 64 }, (_, i) => i);
    const before = (await mse(all, false)).loss;

    const result = await trainLoop<number[]>(
      kernels,
      {
        params,
        async lossAndGrads(batch, { rng: stepRng }) {
          const { loss, cache, dy } = await mse(batch, true, stepRng);
          const grads = await loraLinearBackward(kernels, layer, cache, dy, { inputGrad: false });
          return { loss, tokens: batch.length, grads: new Map([[nameA!, grads.da], [nameB!, grads.db]]) };
        },
        async evaluate() {
          return { loss: (await mse(all, false)).loss };
        },
      },
      { size: 64, batch: (indices) => [...indices] },
      { batchSize: 16, gradientAccumulationSteps: 2, schedule: { kind: 'cosine', lr: 0.02, totalSteps: 150, warmupRatio: 0.05 }, evalEvery: 50, optimizer: { weightDecay: 0.01 } },
    );
    const after = (await mse(all, false)).loss;
    expect(result.history.eval).toHaveLength(3);
    // What remains is mostly the NF4 rounding of the base, which a rank-4 update cannot undo.
    expect(after).toBeLessThan(before / 20);

    const dir = await mkdtemp(join(tmpdir(), 'ferry-qlora-'));
    dirs.push(dir);
    await writePeftAdapter(dir, { config, baseModel: 'toy', weights });
    const loaded = (await readPeftAdapter(dir)).weights[0]!;
    const reloaded = await loraLinearForward(kernels, { ...layer, a: loaded.a, b: loaded.b }, xs);
    const original = await loraLinearForward(kernels, layer, xs);
    expect(Buffer.from(reloaded.y.data.buffer).equals(Buffer.from(original.y.data.buffer))).toBe(true);
  });
});
