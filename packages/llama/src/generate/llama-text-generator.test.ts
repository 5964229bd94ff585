import type { ModelMetadata } from '@ferry/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLlama, type LoadedLlama } from '../load/load-llama.js';
import { jsKernels, reference, TINY_LLAMA } from '../fixtures.test-helper.js';
import { generateTokens } from './generate-tokens.js';
import { LlamaTextGenerator } from './llama-text-generator.js';

const metadata: ModelMetadata = { provider: 'llama', model: 'tiny', ref: 'llama:tiny', task: 'text-generation', neural: true };

let loaded: LoadedLlama;
let generator: LlamaTextGenerator;

beforeAll(async () => {
  loaded = await loadLlama(TINY_LLAMA, { kernels: jsKernels() });
  generator = new LlamaTextGenerator(loaded.model, loaded.tokenizer!, metadata);
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('generateTokens', () => {
  it('greedy generation equals the PyTorch reference token for token, and frees its cache', async () => {
    for (const prompt of reference(TINY_LLAMA).prompts) {
      const tokens = await collect(generateTokens(loaded.model, prompt.ids, { maxTokens: prompt.greedy.length }));
      expect(tokens).toEqual(prompt.greedy);
    }
    expect(loaded.model.kvCacheBytes).toBe(0);
  });

  it('ends on a stop token id without yielding it', async () => {
    const prompt = reference(TINY_LLAMA).prompts[0]!;
    const stopAt = prompt.greedy[3]!;
    const tokens = await collect(generateTokens(loaded.model, prompt.ids, { maxTokens: 16, stopTokenIds: [stopAt] }));
    expect(tokens).toEqual(prompt.greedy.slice(0, prompt.greedy.indexOf(stopAt)));
  });

  it('stops at the context limit with finish reason length', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => 10 + (i % 300));
    const tokens = generateTokens(loaded.model, ids, { maxTokens: 100 });
    const out: number[] = [];
    let step = await tokens.next();
    while (!step.done) {
      out.push(step.value);
      step = await tokens.next();
    }
    expect(out.length).toBeLessThanOrEqual(6);
    expect(step.value).toBe(out.length === 6 ? 'length' : 'stop');
    await expect(collect(generateTokens(loaded.model, Array.from({ length: 256 }, () => 5)))).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'input' });
  });

  it('sampling with a seed is reproducible', async () => {
    const ids = reference(TINY_LLAMA).prompts[0]!.ids;
    const options = { maxTokens: 12, temperature: 1.5, topK: 50, topP: 0.95, repetitionPenalty: 1.3, seed: 42 };
    const first = await collect(generateTokens(loaded.model, ids, options));
    expect(await collect(generateTokens(loaded.model, ids, options))).toEqual(first);
    expect(await collect(generateTokens(loaded.model, ids, { ...options, seed: 43 }))).not.toEqual(first);
  });
});

describe('LlamaTextGenerator', () => {
  it('generates the greedy reference as text', async () => {
    const prompt = 'Where does the ferry go?';
    const ids = loaded.tokenizer!.encode(prompt);
    const tokens = await collect(generateTokens(loaded.model, ids, { maxTokens: 10 }));
    const result = await generator.generate(prompt, { maxTokens: 10 });
    expect(result.text).toBe(loaded.tokenizer!.decode(tokens, { skip_special_tokens: true }));
    expect(result.finishReason).toBe('length');
    expect(result.usage).toEqual({ promptTokens: ids.length, completionTokens: 10, totalTokens: ids.length + 10 });
  });

  it('renders chat messages through the chat template', () => {
    const ids = generator.encode([{ role: 'user', content: 'hi there' }]);
    expect(loaded.tokenizer!.decode(ids)).toBe('<s><|user|>\nhi there</s>\n<|assistant|>\n');
    const grounded = loaded.tokenizer!.decode(generator.encode('Where?', [{ id: 'doc-1', text: 'The ferry goes south.', source: 'timetable' }]));
    expect(grounded).toMatch(/^<s><\|system\|>\n.*\[1\] \(timetable\) The ferry goes south\.<\/s>\n<\|user\|>\nWhere\?<\/s>\n<\|assistant\|>\n$/s);
  });

  it('streams pieces while generation is still running', async () => {
    const pieces: string[] = [];
    const cacheBytesAtPiece: number[] = [];
    for await (const piece of generator.stream('The ferry', { maxTokens: 12 })) {
      pieces.push(piece);
      cacheBytesAtPiece.push(loaded.model.kvCacheBytes);
    }
    expect(pieces.length).toBeGreaterThan(1);
    // The first piece arrives while the KV cache of the running generation is alive.
    expect(cacheBytesAtPiece[0]).toBeGreaterThan(0);
    expect(loaded.model.kvCacheBytes).toBe(0);
    expect(pieces.join('')).toBe((await generator.generate('The ferry', { maxTokens: 12 })).text);
  });

  it('stops at a stop sequence and cuts the text before it', async () => {
    const full = (await generator.generate('Tickets are', { maxTokens: 16 })).text;
    const stop = full.slice(6, 9);
    const result = await generator.generate('Tickets are', { maxTokens: 16, stop: [stop] });
    expect(result.finishReason).toBe('stop');
    expect(result.text).toBe(full.slice(0, full.indexOf(stop)));
    expect(result.usage!.completionTokens).toBeLessThan(16);
    expect(loaded.model.kvCacheBytes).toBe(0);
  });

  it('a cancelled generation rejects and frees its KV cache', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const run = (async () => {
      for await (const piece of generator.stream('The captain', { maxTokens: 200, signal: controller.signal })) {
        seen.push(piece);
        if (seen.length === 2) {
          expect(loaded.model.kvCacheBytes).toBeGreaterThan(0);
          controller.abort(new Error('user cancelled'));
        }
      }
    })();
    await expect(run).rejects.toThrow('user cancelled');
    expect(loaded.model.kvCacheBytes).toBe(0);
  });

  it('rejects invalid options with the field named', async () => {
    await expect(generator.generate('x', { topP: 0 })).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'options.topP' });
  });
});
