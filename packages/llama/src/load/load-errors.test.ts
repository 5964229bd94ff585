import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsKernels, TINY_LLAMA, TINY_QWEN2_BF16 } from '../fixtures.test-helper.js';
import { loadLlama } from './load-llama.js';

const root = mkdtempSync(join(tmpdir(), 'ferry-llama-bad-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;

/** A fresh copy of a fixture folder to break. */
function copy(fixture = TINY_LLAMA): string {
  const folder = join(root, `model-${count++}`);
  cpSync(fixture, folder, { recursive: true });
  return folder;
}

function editConfig(folder: string, change: (config: Record<string, unknown>) => void): void {
  const file = join(folder, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(config);
  writeFileSync(file, JSON.stringify(config));
}

/** Rewrites the safetensors JSON header in place of the old one (same data section). */
function editHeader(file: string, change: (header: Record<string, { shape: number[] }>) => void): void {
  const bytes = readFileSync(file);
  const length = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8')) as Record<string, { shape: number[] }>;
  change(header);
  let text = JSON.stringify(header);
  text += ' '.repeat((8 - (text.length % 8)) % 8);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(text.length));
  writeFileSync(file, Buffer.concat([prefix, Buffer.from(text), bytes.subarray(8 + length)]));
}

async function failure(folder: string): Promise<{ code: string; message: string; field: string; details: Record<string, unknown> }> {
  const error = await loadLlama(folder, { kernels: jsKernels() }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'loading should fail').toBeDefined();
  return error as never;
}

describe('loading a broken model folder', () => {
  it('without config.json names the missing file', async () => {
    const folder = copy();
    unlinkSync(join(folder, 'config.json'));
    const error = await failure(folder);
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toContain(join(folder, 'config.json'));
  });

  it('with an unsupported architecture names config.json and model_type', async () => {
    const folder = copy();
    editConfig(folder, (c) => {
      c.model_type = 'gpt2';
    });
    const error = await failure(folder);
    expect(error.code).toBe('MODEL_TASK_UNSUPPORTED');
    expect(error.field).toBe('model_type');
    expect(error.message).toContain('config.json');
    expect(error.message).toContain('gpt2');
  });

  it('with a config field of the wrong type names the field', async () => {
    const folder = copy();
    editConfig(folder, (c) => {
      c.hidden_size = 'big';
    });
    const error = await failure(folder);
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.field).toBe('hidden_size');
  });

  it('with a tensor of the wrong shape names the file and the tensor', async () => {
    const folder = copy();
    const file = join(folder, 'model.safetensors');
    editHeader(file, (h) => {
      h['model.layers.1.self_attn.k_proj.weight']!.shape = [64, 32];
    });
    const error = await failure(folder);
    expect(error.code).toBe('TENSOR_SHAPE');
    expect(error.field).toBe('model.layers.1.self_attn.k_proj.weight');
    expect(error.message).toContain(file);
    expect(error.message).toContain('[64, 32]');
    expect(error.details).toMatchObject({ file, tensor: 'model.layers.1.self_attn.k_proj.weight' });
  });

  it('with a missing tensor names the tensor and the file', async () => {
    const folder = copy();
    const file = join(folder, 'model.safetensors');
    editHeader(file, (h) => {
      delete h['model.layers.0.mlp.up_proj.weight'];
    });
    const error = await failure(folder);
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.field).toBe('model.layers.0.mlp.up_proj.weight');
    expect(error.message).toContain(file);
  });

  it('with a truncated safetensors file names the file and the first tensor cut off', async () => {
    const folder = copy();
    const file = join(folder, 'model.safetensors');
    truncateSync(file, 200_000);
    const error = await failure(folder);
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.message).toContain(file);
    expect(error.message).toContain('truncated');
    expect(error.details.tensor).toEqual(expect.any(String));
  });

  it('with a garbage safetensors header says so', async () => {
    const folder = copy();
    const file = join(folder, 'model.safetensors');
    writeFileSync(file, Buffer.concat([Buffer.from([12, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{not json!!}')]));
    const error = await failure(folder);
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.message).toContain(file);
    expect(error.message).toContain('not JSON');
  });

  it('with a shard missing names the shard and the index', async () => {
    const folder = copy(TINY_QWEN2_BF16);
    unlinkSync(join(folder, 'model-00002-of-00002.safetensors'));
    const error = await failure(folder);
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toContain('model-00002-of-00002.safetensors');
    expect(error.message).toContain('model.safetensors.index.json');
  });

  it('without tokenizer.json names it', async () => {
    const folder = copy();
    unlinkSync(join(folder, 'tokenizer.json'));
    const error = await failure(folder);
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.field).toBe('tokenizer.json');
  });
});
