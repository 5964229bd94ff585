import { fileURLToPath } from 'node:url';
import { createKernelRegistry } from '@ferry/core';
import { loadLlama } from '@ferry/llama';
import { describe, expect, it } from 'vitest';
import { scorerFromLogits } from '../eval/logits-scorer.js';
import { llamaScorer } from './llama-scorer.js';

const TINY_LLAMA = fileURLToPath(new URL('../../../../fixtures/llama/tiny-llama', import.meta.url));

describe('llamaScorer', () => {
  it('gives the log-likelihood that the full [T, V] logits give, projecting only the continuation rows', async () => {
    const { model } = await loadLlama(TINY_LLAMA, { tokenizer: false, kernels: createKernelRegistry() });
    const full = scorerFromLogits(async (ids) => (await model.forward(ids)).logits!);
    const sparse = llamaScorer(model);
    for (const [prompt, continuation] of [
      [[1, 17, 42, 99], [7, 2]],
      [[5], [300, 11, 2]],
    ] as const) {
      const expected = await full(prompt, continuation);
      expect(Math.abs((await sparse(prompt, continuation)) - expected)).toBeLessThan(1e-9 + 1e-6 * Math.abs(expected));
    }
  });
});
