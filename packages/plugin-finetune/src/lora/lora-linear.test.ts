import { readFileSync } from 'node:fs';
import { createKernelRegistry, Tensor } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { TrainingRng } from '../train/training-rng.js';
import { loraLinearBackward, loraLinearForward, type LoraLinearLayer } from './lora-linear.js';

interface ReferenceCase {
  name: string;
  base: number[];
  dropout: number;
  keep: number[] | null;
  y: number[];
  dA: number[];
  dB: number[];
  dx: number[];
}

interface Reference {
  shape: { batch: number; seq: number; in: number; out: number; r: number; scaling: number };
  x: number[];
  weight: number[];
  a: number[];
  b: number[];
  g: number[];
  cases: ReferenceCase[];
}

const reference = JSON.parse(readFileSync(new URL('../../../../fixtures/finetune/lora-reference.json', import.meta.url), 'utf8')) as Reference;
const { batch, seq, in: nIn, out: nOut, r, scaling } = reference.shape;
const kernels = createKernelRegistry().ops;

function expectClose(actual: ArrayLike<number>, expected: readonly number[], rtol: number): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...expected.map(Math.abs));
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i]! - expected[i]!);
    if (diff > rtol * Math.max(Math.abs(expected[i]!), scale * 1e-2)) {
      throw new Error(`element ${i}: ${actual[i]} vs ${expected[i]} (diff ${diff})`);
    }
  }
}

async function layerFor(c: ReferenceCase): Promise<LoraLinearLayer> {
  const a = Tensor.from(reference.a, [r, nIn]);
  const b = Tensor.from(reference.b, [nOut, r]);
  if (!c.name.startsWith('nf4')) return { base: Tensor.from(c.base, [nOut, nIn]), a, b, scaling, dropout: c.dropout };
  const nf4 = await kernels.quantizeNf4(Tensor.from(reference.weight, [nOut, nIn]));
  return { base: nf4, a, b, scaling, dropout: c.dropout };
}

describe('LoRA linear against PyTorch autograd (fixtures/finetune/make_lora_reference.py)', () => {
  const x = Tensor.from(reference.x, [batch, seq, nIn]);
  const g = Tensor.from(reference.g, [batch, seq, nOut]);

  for (const c of reference.cases) {
    it(`${c.name}: forward and dA, dB, dx within 1e-4 relative`, async () => {
      const layer = await layerFor(c);
      const keepMask = c.keep === null ? undefined : Uint8Array.from(c.keep);
      const { y, cache } = await loraLinearForward(kernels, layer, x, { training: true, ...(keepMask ? { keepMask } : {}) });
      expect(y.shape).toEqual([batch, seq, nOut]);
      expectClose(y.data, c.y, 1e-4);
      const grads = await loraLinearBackward(kernels, layer, cache, g);
      expectClose(grads.da.data, c.dA, 1e-4);
      expectClose(grads.db.data, c.dB, 1e-4);
      expect(grads.dx?.shape).toEqual([batch, seq, nIn]);
      expectClose(grads.dx!.data, c.dx, 1e-4);
    });
  }

  it('the core NF4 kernels dequantise to the weight the reference used', async () => {
    const nf4Case = reference.cases.find((c) => c.name.startsWith('nf4'))!;
    const nf4 = await kernels.quantizeNf4(Tensor.from(reference.weight, [nOut, nIn]));
    expectClose((await kernels.dequantizeNf4(nf4)).data, nf4Case.base, 1e-6);
  });
});

describe('LoRA linear against finite differences', () => {
  it('dA, dB and dx match central differences of sum(y * G)', async () => {
    const rng = new TrainingRng(7);
    const random = (shape: number[], s: number): Tensor<'f32'> => {
      const t = Tensor.zeros(shape, 'f32');
      for (let i = 0; i < t.size; i++) t.data[i] = rng.uniform(-s, s);
      return t;
    };
    const layer: LoraLinearLayer = { base: random([5, 6], 0.5), a: random([3, 6], 0.4), b: random([5, 3], 0.4), scaling: 1.5, dropout: 0 };
    const x = random([4, 6], 1);
    const g = random([4, 5], 1);
    const loss = async (): Promise<number> => {
      const { y } = await loraLinearForward(kernels, layer, x);
      let total = 0;
      for (let i = 0; i < y.size; i++) total += y.data[i]! * g.data[i]!;
      return total;
    };
    const { cache } = await loraLinearForward(kernels, layer, x);
    const grads = await loraLinearBackward(kernels, layer, cache, g);
    const eps = 1e-2;
    for (const [tensor, grad] of [
      [layer.a, grads.da],
      [layer.b, grads.db],
      [x, grads.dx!],
    ] as const) {
      for (let i = 0; i < tensor.size; i++) {
        const saved = tensor.data[i]!;
        tensor.data[i] = saved + eps;
        const up = await loss();
        tensor.data[i] = saved - eps;
        const down = await loss();
        tensor.data[i] = saved;
        expect(grad.data[i]).toBeCloseTo((up - down) / (2 * eps), 3);
      }
    }
  });

  it('starts equal to the base layer (B = 0) and skips dx when not asked', async () => {
    const base = Tensor.from([1, 2, 3, 4, 5, 6], [2, 3]);
    const layer: LoraLinearLayer = { base, a: Tensor.from([0.1, 0.2, 0.3], [1, 3]), b: Tensor.zeros([2, 1], 'f32'), scaling: 2, dropout: 0.5 };
    const x = Tensor.from([1, 0, -1], [1, 3]);
    const { y, cache } = await loraLinearForward(kernels, layer, x);
    expect([...y.data]).toEqual([-2, -2]);
    const grads = await loraLinearBackward(kernels, layer, cache, Tensor.from([1, 1], [1, 2]), { inputGrad: false });
    expect(grads.dx).toBeUndefined();
    expect([...grads.da.data]).toEqual([0, 0, 0]);
  });

  it('draws dropout masks from the rng reproducibly and rejects mismatched shapes', async () => {
    const layer: LoraLinearLayer = { base: Tensor.zeros([2, 4], 'f32'), a: Tensor.from([1, 1, 1, 1], [1, 4]), b: Tensor.from([1, 1], [2, 1]), scaling: 1, dropout: 0.5 };
    const x = Tensor.from([1, 1, 1, 1, 1, 1, 1, 1], [2, 4]);
    const one = await loraLinearForward(kernels, layer, x, { training: true, rng: new TrainingRng(3) });
    const two = await loraLinearForward(kernels, layer, x, { training: true, rng: new TrainingRng(3) });
    expect([...one.y.data]).toEqual([...two.y.data]);
    expect([...one.cache.xDropped.data].every((v) => v === 0 || v === 2)).toBe(true);
    await expect(loraLinearForward(kernels, layer, x, { training: true })).rejects.toMatchObject({ field: 'rng' });
    await expect(loraLinearForward(kernels, layer, Tensor.zeros([2, 3], 'f32'))).rejects.toMatchObject({ field: 'x' });
    await expect(loraLinearForward(kernels, { ...layer, b: Tensor.zeros([3, 1], 'f32') }, x)).rejects.toMatchObject({ field: 'b' });
  });
});
