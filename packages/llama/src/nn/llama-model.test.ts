import type { KernelRegistry, Tensor } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { loadLlama } from '../load/load-llama.js';
import { jsKernels, maxAbsDiff, nativeKernels, reference, TINY_LLAMA, TINY_LLAMA3_F16, TINY_QWEN2_BF16 } from '../fixtures.test-helper.js';

const native = await nativeKernels();

async function checkLogits(folder: string, kernels: KernelRegistry): Promise<void> {
  const { model } = await loadLlama(folder, { kernels, tokenizer: false });
  for (const prompt of reference(folder).prompts) {
    const { logits } = await model.forward(prompt.ids);
    expect(logits!.shape).toEqual([prompt.ids.length, model.config.vocabSize]);
    expect(maxAbsDiff(logits!.data, prompt.logits.flat())).toBeLessThanOrEqual(1e-4);
  }
}

async function checkCachedDecode(folder: string, kernels: KernelRegistry): Promise<void> {
  const { model } = await loadLlama(folder, { kernels, tokenizer: false });
  const prompt = reference(folder).prompts[0]!;
  const cache = model.createCache();
  const greedy: number[] = [];
  let logits = (await model.forward(prompt.ids, { cache, logits: 'last' })).logits!;
  for (let step = 0; step < prompt.greedy.length; step++) {
    const token = argmax(logits.data);
    greedy.push(token);
    logits = (await model.forward([token], { cache, logits: 'last' })).logits!;
  }
  expect(greedy).toEqual(prompt.greedy);
  expect(cache.length).toBe(prompt.ids.length + prompt.greedy.length);
  cache.dispose();
  expect(model.kvCacheBytes).toBe(0);
}

function argmax(data: Float32Array): number {
  let best = 0;
  for (let i = 1; i < data.length; i++) if (data[i]! > data[best]!) best = i;
  return best;
}

describe('LlamaModel against the PyTorch reference', () => {
  it('tiny Llama (f32, GQA) logits match on js', () => checkLogits(TINY_LLAMA, jsKernels()));
  it('tiny Qwen2 (bf16 shards, q/k/v bias, tied, linear rope scaling) logits match on js', () => checkLogits(TINY_QWEN2_BF16, jsKernels()));
  it('tiny Llama 3 (f16, llama3 rope scaling) logits match on js', () => checkLogits(TINY_LLAMA3_F16, jsKernels()));
  it('greedy decoding through the KV cache equals the reference on js', async () => {
    await checkCachedDecode(TINY_LLAMA, jsKernels());
    await checkCachedDecode(TINY_LLAMA3_F16, jsKernels());
    await checkCachedDecode(TINY_QWEN2_BF16, jsKernels());
  });

  describe.skipIf(native === undefined)('on native', () => {
    it('logits match', async () => {
      await checkLogits(TINY_LLAMA, native!);
      await checkLogits(TINY_QWEN2_BF16, native!);
    });
    it('greedy decoding through the KV cache equals the reference', () => checkCachedDecode(TINY_LLAMA, native!));
  });

  it('keeps the activations a backward pass needs when asked', async () => {
    const { model } = await loadLlama(TINY_LLAMA, { kernels: jsKernels(), tokenizer: false });
    const activations = new Map<string, Tensor<'f32'>>();
    await model.forward([1, 2, 3], { activations });
    for (const key of ['layers.0.attention.q.input', 'layers.0.attention.q', 'layers.1.mlp.gate', 'layers.1.mlp.down.input', 'norm.input', 'lmHead.input']) {
      expect(activations.has(key), key).toBe(true);
    }
    expect(activations.get('layers.0.mlp.up')!.shape).toEqual([3, model.config.intermediateSize]);
  });
});
