import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FerryHost, type FerryError } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomAdapterWeights, writePeftFolder, type RandomAdapterSpec } from '../adapters/peft-fixture.test-helper.js';
import { plugin } from '../llama-plugin.js';
import { jsKernels, TINY_LLAMA } from '../fixtures.test-helper.js';
import type { LlamaTextGenerator } from '../generate/llama-text-generator.js';
import { readLlamaConfig } from '../load/llama-config.js';
import type { LlamaEmbedder } from './llama-embedder.js';
import { createLlamaProvider } from './llama-provider.js';

const appDir = mkdtempSync(join(tmpdir(), 'ferry-llama-app-'));
afterAll(() => rmSync(appDir, { recursive: true, force: true }));

function dot(a: Float32Array, b: Float32Array): number {
  return a.reduce((sum, v, i) => sum + v * b[i]!, 0);
}

describe('the llama: provider', () => {
  const provider = createLlamaProvider({ models: { tiny: TINY_LLAMA }, kernels: jsKernels() });

  it('serves text generation by alias and by path, with option defaults from the reference', async () => {
    const byAlias = await provider.create('text-generation', 'tiny', { maxTokens: 5 });
    const byPath = await provider.create('text-generation', TINY_LLAMA);
    expect(byAlias.metadata).toMatchObject({ provider: 'llama', ref: 'llama:tiny', task: 'text-generation', neural: true, contextLength: 256 });
    const short = await byAlias.generate('The ferry');
    expect(short.usage!.completionTokens).toBe(5);
    expect((await byPath.generate('The ferry', { maxTokens: 5 })).text).toBe(short.text);
  });

  it('embeds texts as L2-normalised mean-pooled hidden states', async () => {
    const embedder = await provider.create('embedding', 'tiny');
    expect(embedder.metadata.dims).toBe(64);
    const [a, b, c] = await embedder.embed(['the ferry leaves the dock', 'the ferry leaves the dock', 'zzz 123 !!']);
    expect(dot(a!, a!)).toBeCloseTo(1, 5);
    expect(dot(a!, b!)).toBeCloseTo(1, 5);
    expect(dot(a!, c!)).toBeLessThan(0.999);
  });

  it('validates options and tasks', async () => {
    await expect(provider.create('text-generation', 'tiny', { temperature: -1 })).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'options.temperature' });
    await expect(provider.create('text-generation', 'tiny', { beams: 4 })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(provider.create('classification', 'tiny')).rejects.toMatchObject({ code: 'MODEL_TASK_UNSUPPORTED' });
    await expect(provider.create('text-generation', './no-such-model')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
  });
});

describe('@ferry/llama as a plugin', () => {
  it('registers llama: and resolves folders and aliases relative to the app', async () => {
    cpSync(TINY_LLAMA, join(appDir, 'models', 'tiny'), { recursive: true });
    const host = await FerryHost.start({ appDir, config: { plugins: [{ use: plugin, config: { models: { tiny: './models/tiny' } } }] } });
    expect(host.plugins.find((p) => p.name === '@ferry/llama')?.registered.providers).toEqual(['llama']);
    const generator = await host.models.textGenerator('llama:tiny');
    const chat = await generator.generate([{ role: 'user', content: 'Where does the ferry go?' }], { maxTokens: 4 });
    expect(chat.finishReason).toMatch(/stop|length/);
    const direct = await host.models.textGenerator('llama:./models/tiny');
    expect((await direct.generate('The ferry', { maxTokens: 4 })).text).toBe((await generator.generate('The ferry', { maxTokens: 4 })).text);
    await host.dispose();
  });

  it('validates its config, naming the field', async () => {
    const error = (await FerryHost.start({ appDir, config: { plugins: [{ use: plugin, config: { models: { tiny: 3 } } }] } }).catch((e: unknown) => e)) as FerryError;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.field).toBe('plugins[0].config.models.tiny');
  });
});

describe('the llama: provider with LoRA adapters', () => {
  const adapterDir = (name: string): string => join(appDir, 'adapters', name);
  const specs: Record<string, RandomAdapterSpec> = {
    finance: { r: 4, alpha: 8, targetModules: ['q', 'k', 'v', 'o'], seed: 21 },
    support: { r: 2, alpha: 4, targetModules: ['gate', 'up', 'down'], seed: 22 },
  };
  const provider = createLlamaProvider({ models: { tiny: TINY_LLAMA }, adapters: { finance: adapterDir('finance'), support: adapterDir('support') }, kernels: jsKernels() });

  beforeAll(async () => {
    const config = await readLlamaConfig(TINY_LLAMA);
    for (const [name, spec] of Object.entries(specs)) await writePeftFolder(adapterDir(name), spec, randomAdapterWeights(config, spec));
  });

  it('serves a default adapter per model and a per-call adapter, over one base', async () => {
    const base = (await provider.create('text-generation', 'tiny', { maxTokens: 8 })) as LlamaTextGenerator;
    const finance = (await provider.create('text-generation', 'tiny', { maxTokens: 8, adapter: 'finance' })) as LlamaTextGenerator;
    expect(finance.metadata.description).toContain('LoRA adapter "finance"');
    const plain = (await base.generate('The ferry')).text;
    const tuned = (await finance.generate('The ferry')).text;
    expect(tuned).not.toBe(plain);
    expect((await base.generate('The ferry', { adapter: 'finance' })).text).toBe(tuned);
    const support = (await finance.generate('The ferry', { adapter: 'support' })).text;
    expect(support).not.toBe(tuned);
    expect(support).not.toBe(plain);
  });

  it('embeds with an adapter, per model or per call', async () => {
    const base = (await provider.create('embedding', 'tiny')) as LlamaEmbedder;
    const tuned = (await provider.create('embedding', 'tiny', { adapter: 'support' })) as LlamaEmbedder;
    const [plain] = await base.embed(['the ferry leaves the dock']);
    const [adapted] = await tuned.embed(['the ferry leaves the dock']);
    expect(adapted).not.toEqual(plain);
    expect((await base.embed(['the ferry leaves the dock'], { adapter: 'support' }))[0]).toEqual(adapted);
  });

  it('names the served adapters when a request asks for another, and refuses a bad default at creation', async () => {
    const base = (await provider.create('text-generation', 'tiny')) as LlamaTextGenerator;
    const error = (await base.generate('x', { adapter: 'legal' }).catch((e: unknown) => e)) as FerryError;
    expect(error).toMatchObject({ code: 'INPUT_INVALID', field: 'options.adapter' });
    expect(error.message).toContain('"finance", "support"');
    await expect(provider.create('embedding', 'tiny', { adapter: 'legal' })).rejects.toMatchObject({ field: 'options.adapter' });
    await expect(provider.create('text-generation', 'tiny', { adapter: '' })).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'options.adapter' });
    const missing = createLlamaProvider({ models: { tiny: TINY_LLAMA }, adapters: { gone: join(appDir, 'nowhere') }, kernels: jsKernels() });
    await expect(missing.create('text-generation', 'tiny', { adapter: 'gone' })).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND', field: 'adapter_config.json' });
  });

  it('as a plugin: adapter folders are relative to the app, and validated', async () => {
    cpSync(TINY_LLAMA, join(appDir, 'models', 'tiny2'), { recursive: true });
    const config = { models: { tiny: './models/tiny2' }, adapters: { finance: './adapters/finance' } };
    const host = await FerryHost.start({ appDir, config: { plugins: [{ use: plugin, config }] } });
    const analyst = await host.models.textGenerator('llama:tiny', { adapter: 'finance', maxTokens: 6 });
    const direct = (await provider.create('text-generation', 'tiny', { adapter: 'finance', maxTokens: 6 })) as LlamaTextGenerator;
    expect((await analyst.generate('The ferry')).text).toBe((await direct.generate('The ferry')).text);
    await host.dispose();
    const error = (await FerryHost.start({ appDir, config: { plugins: [{ use: plugin, config: { adapters: { finance: 3 } } }] } }).catch((e: unknown) => e)) as FerryError;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.field).toBe('plugins[0].config.adapters.finance');
  });
});
