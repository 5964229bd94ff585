import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor, type KernelRegistry, type ModelMetadata } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsKernels, maxAbsDiff, nativeKernels, reference, TINY_LLAMA, TINY_QWEN2_BF16 } from '../fixtures.test-helper.js';
import { generateTokens } from '../generate/generate-tokens.js';
import { LlamaTextGenerator } from '../generate/llama-text-generator.js';
import { loadLlama, type LoadedLlama } from '../load/load-llama.js';
import { Linear, type LinearModule } from '../nn/linear.js';
import { LlamaModel } from '../nn/llama-model.js';
import { LlamaAdapters } from './llama-adapters.js';
import { LoraInferenceLinear } from './lora-inference-linear.js';
import { ADAPTER_CONFIG_FILE, peftTensorName, type LoraModuleWeights, type LoraTargetModule } from './peft-adapter.js';
import { randomAdapterWeights, writePeftFolder, type RandomAdapterSpec } from './peft-fixture.test-helper.js';

const root = mkdtempSync(join(tmpdir(), 'ferry-llama-adapters-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ALL: LoraTargetModule[] = ['q', 'k', 'v', 'o', 'gate', 'up', 'down'];
const SPECS: Record<'a' | 'b', RandomAdapterSpec> = {
  a: { r: 4, alpha: 8, targetModules: ALL, seed: 11 },
  b: { r: 2, alpha: 6, targetModules: ['q', 'v', 'down'], seed: 12 },
};
const metadata: ModelMetadata = { provider: 'llama', model: 'tiny', ref: 'llama:tiny', task: 'text-generation', neural: true };
const prompts = reference(TINY_LLAMA).prompts;

let loaded: LoadedLlama;
let adapters: LlamaAdapters;
const factors = new Map<string, LoraModuleWeights[]>();
let baseLogitsBefore: Float32Array;

beforeAll(async () => {
  loaded = await loadLlama(TINY_LLAMA, { kernels: jsKernels() });
  baseLogitsBefore = (await loaded.model.forward(prompts[0]!.ids)).logits!.data;
  for (const [name, spec] of Object.entries(SPECS)) {
    const weights = randomAdapterWeights(loaded.model.config, spec);
    factors.set(name, weights);
    await writePeftFolder(join(root, name), spec, weights);
  }
  adapters = new LlamaAdapters(loaded.model, loaded.weights, { a: join(root, 'a'), b: join(root, 'b') });
});

/** The HF weight a PEFT factor adapts: `model.layers.0.self_attn.q_proj.weight`. */
function baseWeightName(w: LoraModuleWeights): string {
  return peftTensorName(w.layer, w.module, 'A').replace('base_model.model.', '').replace('.lora_A', '');
}

/** What PEFT's merge_and_unload computes, independently of the code under test: W + scaling * B A, summed in f64. */
function mergedModel(source: LoadedLlama, weights: readonly LoraModuleWeights[], scaling: number): LlamaModel {
  const map = new Map(source.weights);
  for (const { a, b, ...w } of weights) {
    const name = baseWeightName({ a, b, ...w });
    const base = source.weights.get(name)!;
    const [out, inF] = base.shape as [number, number];
    const r = a.shape[0]!;
    const merged = new Float32Array(base.size);
    for (let o = 0; o < out; o++) {
      for (let i = 0; i < inF; i++) {
        let sum = 0;
        for (let k = 0; k < r; k++) sum += b.data[o * r + k]! * a.data[k * inF + i]!;
        merged[o * inF + i] = base.data[o * inF + i]! + scaling * sum;
      }
    }
    map.set(name, new Tensor('f32', merged, base.shape));
  }
  return new LlamaModel(source.model.config, map, source.model.kernels);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function projections(model: LlamaModel): LinearModule[] {
  return model.layers.flatMap((l) => [l.attention.q, l.attention.k, l.attention.v, l.attention.o, l.mlp.gate, l.mlp.up, l.mlp.down]);
}

describe('LoRA adapters served without merging', () => {
  for (const name of ['a', 'b'] as const) {
    it(`adapter ${name}: logits equal the merged model's within 1e-5, and greedy generation matches it token for token`, async () => {
      const spec = SPECS[name];
      const adapted = await adapters.model(name);
      const merged = mergedModel(loaded, factors.get(name)!, spec.alpha / spec.r);
      for (const prompt of prompts) {
        const logits = (await adapted.forward(prompt.ids)).logits!.data;
        const expected = (await merged.forward(prompt.ids)).logits!.data;
        expect(maxAbsDiff(logits, [...expected])).toBeLessThan(1e-5);
        // The adapter really changes the model, so the comparison above means something.
        expect(maxAbsDiff(logits, prompt.logits.flat())).toBeGreaterThan(0.05);
        const greedy = await collect(generateTokens(adapted, prompt.ids, { maxTokens: 16 }));
        expect(greedy).toEqual(await collect(generateTokens(merged, prompt.ids, { maxTokens: 16 })));
      }
    });
  }

  it('leaves the base model as it was: no adapter gives the base logits', async () => {
    await adapters.model('a');
    await adapters.model('b');
    expect(await adapters.model()).toBe(loaded.model);
    const after = (await loaded.model.forward(prompts[0]!.ids)).logits!.data;
    expect(after).toEqual(baseLogitsBefore);
    expect(maxAbsDiff(after, prompts[0]!.logits.flat())).toBeLessThan(1e-4);
    for (const linear of projections(loaded.model)) expect(linear).toBeInstanceOf(Linear);
  });

  it('every adapter runs on the base model’s own weight arrays: nothing is copied per adapter', async () => {
    const base = loaded.model;
    for (const name of ['a', 'b']) {
      const adapted = await adapters.model(name);
      expect(adapted).toBe(await adapters.model(name));
      expect(adapted).not.toBe(base);
      expect(adapted.embedding.weight.data).toBe(base.embedding.weight.data);
      expect(adapted.norm.weight.data).toBe(base.norm.weight.data);
      expect((adapted.lmHead as Linear).weight.data).toBe((base.lmHead as Linear).weight.data);
      adapted.layers.forEach((layer, i) => {
        expect(layer.inputNorm.weight.data).toBe(base.layers[i]!.inputNorm.weight.data);
        expect(layer.postAttentionNorm.weight.data).toBe(base.layers[i]!.postAttentionNorm.weight.data);
      });
      const baseLinears = projections(base) as Linear[];
      projections(adapted).forEach((linear, i) => {
        const inner = linear instanceof LoraInferenceLinear ? linear.base : (linear as Linear);
        expect(inner.weight.data).toBe(baseLinears[i]!.weight.data);
      });
      const adaptedCount = projections(adapted).filter((l) => l instanceof LoraInferenceLinear).length;
      expect(adaptedCount).toBe(SPECS[name as 'a' | 'b'].targetModules.length * base.config.numLayers);
    }
  });

  it('interleaved streaming generations on different adapters (and the base) do not disturb each other', async () => {
    const generator = new LlamaTextGenerator(loaded.model, loaded.tokenizer!, metadata, { maxTokens: 12 }, adapters);
    const choices = ['a', 'b', undefined] as const;
    const prompt = 'The ferry';
    const alone: string[] = [];
    for (const adapter of choices) alone.push((await generator.generate(prompt, adapter ? { adapter } : {})).text);
    expect(new Set(alone).size).toBe(3);
    const streams = choices.map((adapter) => generator.stream(prompt, adapter ? { adapter } : {})[Symbol.asyncIterator]());
    const texts = ['', '', ''];
    const done = [false, false, false];
    let rounds = 0;
    // One piece from each in turn, so every token step of one generation lies between steps of the others.
    while (done.includes(false)) {
      for (let i = 0; i < streams.length; i++) {
        if (done[i]) continue;
        const step = await streams[i]!.next();
        if (step.done) done[i] = true;
        else texts[i] += step.value;
      }
      rounds++;
    }
    expect(rounds).toBeGreaterThan(3);
    expect(texts).toEqual(alone);
    // Each generation's KV cache lived on its own adapter's model and is freed.
    for (const adapter of choices) expect((await adapters.model(adapter)).kvCacheBytes).toBe(0);
  });
});

/** Loads `folder` on `kernels` with one random adapter and checks it against the merged model. */
async function checkAgainstMerged(folder: string, kernels: KernelRegistry, spec: RandomAdapterSpec, tolerance: number): Promise<void> {
  const source = await loadLlama(folder, { kernels, tokenizer: false });
  const weights = randomAdapterWeights(source.model.config, spec);
  const dir = join(root, `merged-check-${spec.seed}`);
  await writePeftFolder(dir, spec, weights);
  const adapted = await new LlamaAdapters(source.model, source.weights, { x: dir }).model('x');
  const merged = mergedModel(source, weights, spec.alpha / spec.r);
  const ids = prompts[1]!.ids;
  const logits = (await adapted.forward(ids)).logits!.data;
  expect(maxAbsDiff(logits, [...(await merged.forward(ids)).logits!.data])).toBeLessThan(tolerance);
  expect(maxAbsDiff(logits, [...(await source.model.forward(ids)).logits!.data])).toBeGreaterThan(0.05);
}

describe('adapters on other bases and kernels', () => {
  it('Qwen2 (q/k/v biases, bf16 weights): logits equal the merged model within 1e-5', async () => {
    await checkAgainstMerged(TINY_QWEN2_BF16, jsKernels(), { r: 4, alpha: 16, targetModules: ['q', 'k', 'v', 'down'], seed: 31 }, 1e-5);
  });

  it('on native kernels (when built): logits equal the merged model within 1e-4', async (ctx) => {
    const native = await nativeKernels();
    if (!native) return ctx.skip();
    await checkAgainstMerged(TINY_LLAMA, native, { r: 8, alpha: 16, targetModules: ALL, seed: 32 }, 1e-4);
  });
});

describe('adapter errors', () => {
  const spec = SPECS.b;
  async function failure(folders: Record<string, string>, name: string): Promise<{ code: string; field: string; message: string; hint: string }> {
    const set = new LlamaAdapters(loaded.model, loaded.weights, folders);
    return set.model(name).then(
      () => expect.fail('the adapter should not load'),
      (e: unknown) => e as never,
    );
  }
  async function withConfig(dir: string, change: Record<string, unknown>): Promise<string> {
    await writePeftFolder(dir, spec, factors.get('b')!, change);
    return dir;
  }

  it('an unknown adapter name lists the served ones', async () => {
    const error = await failure({ a: join(root, 'a'), b: join(root, 'b') }, 'c');
    expect(error).toMatchObject({ code: 'INPUT_INVALID', field: 'options.adapter' });
    expect(error.message).toContain('unknown adapter "c": the adapters served are "a", "b"');
  });

  it('a missing folder names adapter_config.json, and a fixed folder loads on the next try', async () => {
    const dir = join(root, 'later');
    const set = new LlamaAdapters(loaded.model, loaded.weights, { later: dir });
    const error = (await set.model('later').catch((e: unknown) => e)) as { code: string; field: string; message: string };
    expect(error).toMatchObject({ code: 'MODEL_NOT_FOUND', field: ADAPTER_CONFIG_FILE });
    expect(error.message).toContain(join(dir, ADAPTER_CONFIG_FILE));
    await writePeftFolder(dir, spec, factors.get('b')!);
    expect((await set.model('later')).layers[0]!.attention.q).toBeInstanceOf(LoraInferenceLinear);
  });

  it('a bad adapter_config.json names the file and the field', async () => {
    const notJson = join(root, 'not-json');
    await mkdir(notJson, { recursive: true });
    await writeFile(join(notJson, ADAPTER_CONFIG_FILE), '{ r: 4');
    expect(await failure({ x: notJson }, 'x')).toMatchObject({ code: 'CONFIG_INVALID', field: ADAPTER_CONFIG_FILE });
    const alpha = await failure({ x: await withConfig(join(root, 'bad-alpha'), { lora_alpha: -1 }) }, 'x');
    expect(alpha).toMatchObject({ code: 'CONFIG_INVALID', field: 'lora_alpha' });
    expect(alpha.message).toContain(join(root, 'bad-alpha', ADAPTER_CONFIG_FILE));
    expect((await failure({ x: await withConfig(join(root, 'dora'), { use_dora: true }) }, 'x')).field).toBe('use_dora');
  });

  it('an unknown target module is named, with the ones Ferry adapts', async () => {
    const error = await failure({ x: await withConfig(join(root, 'lm-head'), { target_modules: ['q_proj', 'v_proj', 'down_proj', 'lm_head'] }) }, 'x');
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field: 'target_modules' });
    expect(error.message).toContain('"lm_head"');
    expect(error.hint).toContain('gate_proj');
  });

  it('an adapter made for another base model is refused, naming the tensor and the file', async () => {
    const wrongShape = factors.get('b')!.map((w) => (w.module === 'down' ? { ...w, a: new Tensor('f32', new Float32Array(spec.r * 32), [spec.r, 32]) } : w));
    const dir = join(root, 'other-base');
    await writePeftFolder(dir, spec, wrongShape, { base_model_name_or_path: 'other/model' });
    const error = await failure({ x: dir }, 'x');
    expect(error).toMatchObject({ code: 'TENSOR_SHAPE', field: 'base_model.model.model.layers.0.mlp.down_proj.lora_A.weight' });
    expect(error.message).toContain(join(dir, 'adapter_model.safetensors'));
    expect(error.message).toContain('[2, 32]');
    expect(error.hint).toContain('"other/model"');

    const deeper = join(root, 'deeper');
    await writePeftFolder(deeper, spec, [...factors.get('b')!, { ...factors.get('b')![0]!, layer: 5 }]);
    const layers = await failure({ x: deeper }, 'x');
    expect(layers).toMatchObject({ code: 'TENSOR_SHAPE', field: 'base_model.model.model.layers.5.self_attn.q_proj.lora_A.weight' });
    expect(layers.message).toContain('the base model has 2 layers');
  });

  it('a weights file that does not match its config is refused', async () => {
    const dir = join(root, 'rank');
    await withConfig(dir, { r: 8 });
    const error = await failure({ x: dir }, 'x');
    expect(error.message).toMatch(/lora_A and lora_B must both be present with rank 8/);
    expect(JSON.parse(await readFile(join(dir, ADAPTER_CONFIG_FILE), 'utf8')).r).toBe(8);
  });
});
