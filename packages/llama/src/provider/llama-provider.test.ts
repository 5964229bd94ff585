import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FerryHost, type FerryError } from '@ferry/core';
import { afterAll, describe, expect, it } from 'vitest';
import { plugin } from '../llama-plugin.js';
import { jsKernels, TINY_LLAMA } from '../fixtures.test-helper.js';
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
