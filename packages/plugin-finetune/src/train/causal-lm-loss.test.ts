import { readFileSync } from 'node:fs';
import { createKernelRegistry, Tensor } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { causalLmLoss } from './causal-lm-loss.js';

const reference = JSON.parse(readFileSync(new URL('../../../../fixtures/finetune/lora-reference.json', import.meta.url), 'utf8')) as {
  causalLm: { logits: number[]; labels: number[]; loss: number; dlogits: number[] };
};

describe('causalLmLoss', () => {
  it('matches transformers (shift by one, -100 ignored) and its autograd gradient', async () => {
    const { logits, labels, loss, dlogits } = reference.causalLm;
    const result = await causalLmLoss(createKernelRegistry().ops, Tensor.from(logits, [2, 5, 7]), Tensor.from(labels, [2, 5], 'i32'));
    expect(result.count).toBe(5);
    expect(Math.abs(result.loss - loss) / loss).toBeLessThan(1e-5);
    expect(result.dlogits.shape).toEqual([2, 5, 7]);
    for (let i = 0; i < dlogits.length; i++) expect(result.dlogits.data[i]).toBeCloseTo(dlogits[i]!, 6);
  });
});
