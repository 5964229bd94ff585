import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Embedder } from '@ferry/core';
import { ferryErrorOf as failure } from '@ferry/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { probeCuda } from './device.js';
import { encoderReference, maxAbsDiff, recordingLogger, TINY_BERT, TINY_NLI } from './fixtures.test-helper.js';
import { createTransformersProvider } from './transformers-provider.js';

const scratch = mkdtempSync(join(tmpdir(), 'ferry-transformers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of tiny-bert under `scratch/name`, with `change` applied. */
function brokenCopy(name: string, change: (folder: string) => void): string {
  const folder = join(scratch, name);
  cpSync(TINY_BERT, folder, { recursive: true });
  change(folder);
  return folder;
}

describe('transformers: model references', () => {
  const provider = createTransformersProvider({ baseDir: scratch }, { logger: recordingLogger() });

  it('resolves relative folders against baseDir', async () => {
    cpSync(TINY_BERT, join(scratch, 'models', 'tiny'), { recursive: true });
    for (const ref of ['./models/tiny', 'models/tiny']) {
      const embedder = (await provider.create('embedding', ref)) as Embedder;
      const [v] = await embedder.embed([encoderReference.embeddings[0]!.text]);
      expect(maxAbsDiff(v!, encoderReference.embeddings[0]!.mean)).toBeLessThanOrEqual(1e-4);
      await embedder.dispose?.();
    }
  });

  it('names a missing folder and a path that is a file', async () => {
    const missing = await failure(provider.create('embedding', './no-such-model'));
    expect(missing.code).toBe('MODEL_NOT_FOUND');
    expect(missing.message).toContain(join(scratch, 'no-such-model'));
    expect(missing.hint).toMatch(/config\.json and onnx/);
    writeFileSync(join(scratch, 'a-file'), 'x');
    expect((await failure(provider.create('embedding', './a-file'))).message).toMatch(/is a file, not a folder/);
  });

  it('names a missing or malformed config.json', async () => {
    const noConfig = brokenCopy('no-config', (f) => rmSync(join(f, 'config.json')));
    const error = await failure(provider.create('embedding', noConfig));
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toContain(join(noConfig, 'config.json'));
    const badJson = brokenCopy('bad-json', (f) => writeFileSync(join(f, 'config.json'), '{ "model_type": '));
    expect(await failure(provider.create('embedding', badJson))).toMatchObject({ code: 'INPUT_INVALID', message: expect.stringContaining('not valid JSON') });
    const noType = brokenCopy('no-type', (f) => writeFileSync(join(f, 'config.json'), '{"hidden_size": 32}'));
    expect((await failure(provider.create('embedding', noType))).message).toMatch(/model_type/);
  });

  it('names the missing ONNX file for the dtype asked for', async () => {
    const noOnnx = brokenCopy('no-onnx', (f) => rmSync(join(f, 'onnx', 'model.onnx')));
    const error = await failure(provider.create('embedding', noOnnx));
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toContain(join(noOnnx, 'onnx', 'model.onnx'));
    expect(error.hint).toMatch(/Export the model to ONNX/);
    const q8 = await failure(provider.create('classification', TINY_NLI, { dtype: 'q8' }));
    expect(q8.message).toContain(join(TINY_NLI, 'onnx', 'model_quantized.onnx'));
    expect(q8.hint).toMatch(/dtype "fp32"/);
  });

  it('names a missing tokenizer', async () => {
    const noTokenizer = brokenCopy('no-tokenizer', (f) => rmSync(join(f, 'tokenizer.json')));
    expect((await failure(provider.create('embedding', noTokenizer))).message).toContain(join(noTokenizer, 'tokenizer.json'));
  });

  it('wraps an ONNX file onnxruntime cannot read', async () => {
    const corrupt = brokenCopy('corrupt', (f) => writeFileSync(join(f, 'onnx', 'model.onnx'), 'not a protobuf'));
    const error = await failure(provider.create('embedding', corrupt));
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.message).toContain(`could not load transformers:${corrupt}`);
  });

  it('refuses a hub id while remote downloads are off, without touching the network', async () => {
    const realFetch = globalThis.fetch;
    const fetched: string[] = [];
    globalThis.fetch = (async (input: string | URL | Request) => {
      fetched.push(String(input));
      throw new Error('no network in tests');
    }) as typeof fetch;
    try {
      const error = await failure(provider.create('embedding', 'Xenova/all-MiniLM-L6-v2'));
      expect(error.code).toBe('MODEL_NOT_FOUND');
      expect(error.message).toMatch(/remote downloads are off/);
      expect(error.hint).toMatch(/allowRemote: true/);
      expect(fetched).toEqual([]);
    } finally {
      globalThis.fetch = realFetch;
    }
  });

  it('serves a hub id from cacheDir while offline', async () => {
    const cacheDir = join(scratch, 'cache');
    mkdirSync(join(cacheDir, 'acme'), { recursive: true });
    cpSync(TINY_BERT, join(cacheDir, 'acme', 'tiny-bert'), { recursive: true });
    const cached = createTransformersProvider({ baseDir: scratch, cacheDir: 'cache' }, { logger: recordingLogger() });
    const embedder = (await cached.create('embedding', 'acme/tiny-bert')) as Embedder;
    const [v] = await embedder.embed([encoderReference.embeddings[1]!.text]);
    expect(maxAbsDiff(v!, encoderReference.embeddings[1]!.mean)).toBeLessThanOrEqual(1e-4);
    await embedder.dispose?.();
  });

  it('rejects malformed references, bad options and tasks it does not serve', async () => {
    expect((await failure(provider.create('embedding', 'a/b/c'))).code).toBe('MODEL_REF_INVALID');
    const options = await failure(provider.create('embedding', TINY_BERT, { pooling: 'max' }));
    expect(options).toMatchObject({ code: 'CONFIG_INVALID', field: 'options.pooling' });
    expect((await failure(provider.create('speech-to-text', TINY_BERT))).code).toBe('MODEL_TASK_UNSUPPORTED');
    expect(() => createTransformersProvider({ device: 'tpu' } as never)).toThrow(/device/);
  });
});

describe('transformers: device', () => {
  it('auto falls back to the CPU with a warning when CUDA cannot start; cuda is then an error', async () => {
    const probe = await probeCuda();
    const logger = recordingLogger();
    const provider = createTransformersProvider({ device: 'auto' }, { logger });
    const embedder = (await provider.create('embedding', TINY_BERT)) as Embedder;
    if (probe.available) {
      expect(embedder.metadata.description).toContain('on cuda');
      return;
    }
    expect(embedder.metadata.description).toContain('on cpu');
    expect(logger.records.filter((r) => r.level === 'warn').map((r) => r.message)).toEqual([`CUDA is not available, running transformers:${TINY_BERT} on the CPU`]);
    const [v] = await embedder.embed([encoderReference.embeddings[2]!.text]);
    expect(maxAbsDiff(v!, encoderReference.embeddings[2]!.mean)).toBeLessThanOrEqual(1e-4);
    await embedder.dispose?.();

    const error = await failure(provider.create('embedding', TINY_BERT, { device: 'cuda' }));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field: 'device' });
    expect(error.hint).toMatch(/device "auto"/);
  });
});
