import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKernelRegistry } from '@ferry/core';
import { createLlamaProvider, generateTokens, loadLlama, LlamaTextGenerator, readPeftAdapter, type LlamaModel } from '@ferry/llama';
import { afterAll, describe, expect, it } from 'vitest';
import { applyLora } from './apply-lora.js';
import { exportLoraAdapter, loadLoraAdapter, mergeLora, saveLlamaModel } from './lora-adapter-io.js';

const TINY_LLAMA = fileURLToPath(new URL('../../../../fixtures/llama/tiny-llama', import.meta.url));
const IDS = [1, 40, 75, 90, 120, 7, 300, 33];
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function tinyLlama() {
  return (await loadLlama(TINY_LLAMA, { tokenizer: false, kernels: createKernelRegistry() })).model;
}

/** A trained-looking adapter: B filled so the adapter changes the logits. */
async function adapted(quantizeBase?: 'nf4') {
  const model = await tinyLlama();
  const lora = await applyLora(model, { r: 4, alpha: 8, targetModules: ['q', 'v', 'o', 'down'] }, { seed: 5, ...(quantizeBase ? { quantizeBase } : {}) });
  lora.weights.forEach((w, i) => w.b.data.forEach((_, j) => (w.b.data[j] = Math.sin(i * 31 + j) * 0.2)));
  return lora;
}

describe('adapters: export, load back, merge', () => {
  it('an exported adapter loads back to identical logits', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-adapter-'));
    dirs.push(dir);
    const lora = await adapted();
    const base = (await (await tinyLlama()).forward(IDS)).logits!.data;
    const trained = (await lora.model.forward(IDS)).logits!.data;
    expect(trained).not.toEqual(base);
    await exportLoraAdapter(dir, lora, 'fixtures/llama/tiny-llama');
    expect((await readPeftAdapter(dir)).baseModel).toBe('fixtures/llama/tiny-llama');
    const loaded = await loadLoraAdapter(await tinyLlama(), dir);
    expect((await loaded.model.forward(IDS)).logits!.data).toEqual(trained);
  });

  for (const quantizeBase of [undefined, 'nf4'] as const) {
    it(`merging gives the logits of base + adapter (${quantizeBase ?? 'f32'} base), also after saving and reloading`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ferry-merged-'));
      dirs.push(dir);
      const lora = await adapted(quantizeBase);
      const withAdapter = (await lora.model.forward(IDS)).logits!.data.slice();
      const merged = await mergeLora(lora);
      const mergedLogits = (await merged.forward(IDS)).logits!.data;
      let max = 0;
      withAdapter.forEach((v, i) => (max = Math.max(max, Math.abs(v - mergedLogits[i]!))));
      expect(max).toBeLessThan(1e-4);
      await saveLlamaModel(dir, merged, TINY_LLAMA);
      const reloaded = (await loadLlama(dir, { kernels: createKernelRegistry() })).model;
      expect((await reloaded.forward(IDS)).logits!.data).toEqual(mergedLogits);
    });
  }
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('an exported adapter served by the llama: provider, unmerged', () => {
  it('gives the logits and the greedy text of the training-time LoRA forward', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-served-'));
    dirs.push(dir);
    const lora = await adapted();
    await exportLoraAdapter(dir, lora, 'fixtures/llama/tiny-llama');
    const provider = createLlamaProvider({ models: { tiny: TINY_LLAMA }, adapters: { tuned: dir }, kernels: createKernelRegistry() });
    const served = (await provider.create('text-generation', 'tiny', { adapter: 'tuned', maxTokens: 12 })) as LlamaTextGenerator;
    const model: LlamaModel = await served.adapters!.model('tuned');
    const trained = (await lora.model.forward(IDS)).logits!.data;
    expect((await model.forward(IDS)).logits!.data).toEqual(trained);
    expect((await served.model.forward(IDS)).logits!.data).not.toEqual(trained);
    expect(await collect(generateTokens(model, IDS, { maxTokens: 12 }))).toEqual(await collect(generateTokens(lora.model, IDS, { maxTokens: 12 })));
    const training = new LlamaTextGenerator(lora.model, served.tokenizer, served.metadata, { maxTokens: 12 });
    expect((await served.generate('The ferry')).text).toBe((await training.generate('The ferry')).text);
    await provider.dispose?.();
  });
});
