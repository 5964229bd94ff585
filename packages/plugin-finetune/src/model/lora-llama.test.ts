import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createKernelRegistry, Tensor } from '@ferry/core';
import { loadLlama } from '@ferry/llama';
import { describe, expect, it } from 'vitest';
import type { LoraModuleWeights } from '../adapter/peft-adapter.js';
import { peftTensorName } from '../adapter/peft-adapter.js';
import type { LoraTargetModule } from '../lora/lora-config.js';
import { applyLora } from './apply-lora.js';
import { sequenceLossAndGrads } from './sequence-loss.js';

const FIXTURES = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));
const TINY_LLAMA = `${FIXTURES}llama/tiny-llama`;

interface Reference {
  r: number;
  alpha: number;
  sequences: { ids: number[]; labels: number[] }[];
  factors: Record<string, { a: number[]; b: number[] }>;
  cases: { name: 'f32' | 'nf4'; loss: number; grads: Record<string, { dA: number[]; dB: number[] }> }[];
  full: { loss: number; grads: Record<string, number[]>; embeddingRow: { id: number; grad: number[] } };
}
const reference = JSON.parse(readFileSync(`${FIXTURES}finetune/lora-llama-reference.json`, 'utf8')) as Reference;

/** max |a - e| / max |e|: the relative error of a whole tensor. */
function relativeError(actual: Float32Array, expected: readonly number[]): number {
  let diff = 0;
  let scale = 0;
  expected.forEach((e, i) => {
    diff = Math.max(diff, Math.abs(actual[i]! - e));
    scale = Math.max(scale, Math.abs(e));
  });
  return diff / scale;
}

function referenceFactors(shapes: Map<string, [number, number]>): LoraModuleWeights[] {
  return Object.entries(reference.factors).map(([key, { a, b }]) => {
    const [layer, module] = key.split('.') as [string, LoraTargetModule];
    const [out, inFeatures] = shapes.get(key)!;
    return { layer: Number(layer), module, a: new Tensor('f32', Float32Array.from(a), [reference.r, inFeatures]), b: new Tensor('f32', Float32Array.from(b), [out, reference.r]) };
  });
}

async function tinyLlama() {
  const { model } = await loadLlama(TINY_LLAMA, { tokenizer: false, kernels: createKernelRegistry() });
  return model;
}

describe('LoRA through the tiny Llama decoder, against PyTorch autograd', () => {
  for (const name of ['f32', 'nf4'] as const) {
    it(`matches the loss and every LoRA gradient on an ${name} base`, async () => {
      const model = await tinyLlama();
      const shapes = new Map<string, [number, number]>();
      model.layers.forEach((layer, i) => {
        for (const m of ['q', 'k', 'v', 'o'] as const) shapes.set(`${i}.${m}`, [layer.attention[m].outFeatures, layer.attention[m].inFeatures]);
        for (const m of ['gate', 'up', 'down'] as const) shapes.set(`${i}.${m}`, [layer.mlp[m].outFeatures, layer.mlp[m].inFeatures]);
      });
      const lora = await applyLora(
        model,
        { r: reference.r, alpha: reference.alpha, targetModules: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] },
        { weights: referenceFactors(shapes), ...(name === 'nf4' ? { quantizeBase: 'nf4' as const } : {}) },
      );
      const expected = reference.cases.find((c) => c.name === name)!;
      const { loss, tokens, grads } = await sequenceLossAndGrads(model, reference.sequences, { lora });
      expect(tokens).toBe(5 + 7);
      expect(Math.abs(loss - expected.loss) / expected.loss).toBeLessThan(1e-4);
      expect(grads.size).toBe(28);
      for (const [key, { dA, dB }] of Object.entries(expected.grads)) {
        const [layer, module] = key.split('.') as [string, LoraTargetModule];
        expect(relativeError(grads.get(peftTensorName(Number(layer), module, 'A'))!.data, dA), `${key} dA`).toBeLessThan(1e-4);
        expect(relativeError(grads.get(peftTensorName(Number(layer), module, 'B'))!.data, dB), `${key} dB`).toBeLessThan(1e-4);
      }
    });
  }

  it('matches the full fine-tuning gradients of the base parameters', async () => {
    const model = await tinyLlama();
    const { loss, grads } = await sequenceLossAndGrads(model, reference.sequences, { full: true });
    expect(Math.abs(loss - reference.full.loss) / reference.full.loss).toBeLessThan(1e-4);
    for (const [name, expected] of Object.entries(reference.full.grads)) {
      expect(relativeError(grads.get(name)!.data, expected), name).toBeLessThan(1e-4);
    }
    const { id, grad } = reference.full.embeddingRow;
    const hidden = grad.length;
    expect(relativeError(grads.get('model.embed_tokens.weight')!.data.subarray(id * hidden, (id + 1) * hidden), grad)).toBeLessThan(1e-4);
    expect(grads.get('lm_head.weight')!.shape).toEqual([412, 64]);
  });

  it('starts equal to the base model (B = 0) and reports what it wraps', async () => {
    const model = await tinyLlama();
    const ids = reference.sequences[0]!.ids;
    const before = (await model.forward(ids)).logits!.data.slice();
    const lora = await applyLora(model, { r: 8, alpha: 16, targetModules: ['q_proj', 'v_proj'] }, { seed: 3 });
    expect(lora.modules.map((m) => `${m.layer}.${m.module}`)).toEqual(['0.q', '0.v', '1.q', '1.v']);
    expect(lora.parameters.size).toBe(8);
    expect((await model.forward(ids)).logits!.data).toEqual(before);
    await expect(applyLora(model, { r: 8, alpha: 16, targetModules: ['q'] })).rejects.toMatchObject({ field: 'layers.0.q' });
  });
});
