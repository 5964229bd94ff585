import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStep, guard, pipeline } from '@ferry/core';
import type { StepContext } from '@ferry/core';
import { redactGuard } from './redact-guard.js';

const ctx = {} as StepContext;

describe('redactGuard', () => {
  it('rewrites strings and string fields of outputs', async () => {
    const g = redactGuard();
    expect(await g.checkOutput!('mail a@b.io', ctx)).toEqual({ ok: true, value: 'mail [EMAIL]' });
    expect(await g.checkOutput!({ answer: 'call 13812345678', sources: ['x@y.com'], score: 1 }, ctx)).toEqual({
      ok: true,
      value: { answer: 'call [PHONE]', sources: ['[EMAIL]'], score: 1 },
    });
  });

  it('reports what it removed', async () => {
    const seen: string[] = [];
    await redactGuard({ onRedact: (spans, path) => seen.push(`${path}:${spans[0]!.type}`) }).checkOutput!(
      { answer: 'a@b.io' },
      ctx,
    );
    expect(seen).toEqual(['answer:email']);
  });
});

describe('redactGuard in a pipeline', () => {
  it('filters what the step returns', async () => {
    const answer = defineStep({
      name: 'answer',
      input: z.object({ q: z.string() }),
      output: z.object({ answer: z.string() }),
      run: () => ({ answer: '请联系 13812345678 或 help@bank.cn' }),
    });
    const { output } = await pipeline('qa', answer.use(guard(redactGuard()))).run({ q: 'hi' });
    expect(output.answer).toBe('请联系 [PHONE] 或 [EMAIL]');
  });
});
