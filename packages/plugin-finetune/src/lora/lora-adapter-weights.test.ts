import { createKernelRegistry, Tensor } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { TrainingRng } from '../train/training-rng.js';
import { parseLoraConfig } from './lora-config.js';
import { initLoraAdapterWeights, loraParameterMap, mergeLoraWeight } from './lora-adapter-weights.js';
import { loraLinearForward } from './lora-linear.js';
import { loraParameterReport } from './parameter-report.js';

const kernels = createKernelRegistry().ops;

describe('LoRA adapter weights', () => {
  it('creates one A/B pair per target module and layer, as many values as the parameter report counts', () => {
    const model = { hiddenSize: 32, intermediateSize: 48, numHiddenLayers: 3, numAttentionHeads: 4, numKeyValueHeads: 2, vocabSize: 50 };
    const config = parseLoraConfig({ r: 4, alpha: 8, targetModules: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] });
    const weights = initLoraAdapterWeights(model, config, new TrainingRng(0));
    expect(weights).toHaveLength(21);
    expect(weights.find((w) => w.module === 'k')!.b.shape).toEqual([16, 4]);
    const params = loraParameterMap(weights);
    const total = [...params.values()].reduce((s, t) => s + t.size, 0);
    expect(total).toBe(loraParameterReport(model, config).trainable);
    expect([...params.keys()][0]).toBe('base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight');
  });

  it('merging gives the same outputs as base + adapter, for f32 and NF4 bases', async () => {
    const rng = new TrainingRng(11);
    const fill = (shape: number[]): Tensor<'f32'> => {
      const t = Tensor.zeros(shape, 'f32');
      for (let i = 0; i < t.size; i++) t.data[i] = rng.uniform(-1, 1);
      return t;
    };
    const w = fill([8, 16]);
    const a = fill([2, 16]);
    const b = fill([8, 2]);
    const x = fill([3, 16]);
    for (const base of [w, await kernels.quantizeNf4(w)]) {
      const { y } = await loraLinearForward(kernels, { base, a, b, scaling: 1.5, dropout: 0.1 }, x);
      const merged = await mergeLoraWeight(kernels, base, a, b, 1.5);
      const direct = await kernels.matmul(x, merged, { transB: true });
      for (let i = 0; i < y.size; i++) expect(direct.data[i]).toBeCloseTo(y.data[i]!, 5);
    }
  });
});
