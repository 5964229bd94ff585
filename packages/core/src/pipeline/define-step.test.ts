import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isFerryError } from '../errors/ferry-error.js';
import { defineStep } from './define-step.js';
import type { Middleware } from './middleware.js';
import { pipeline } from './pipeline.js';

const tokenize = defineStep({
  name: 'tokenize',
  description: 'splits text into words',
  input: z.object({ text: z.string().min(1), lang: z.string().default('en') }),
  output: z.object({ words: z.array(z.string()), lang: z.string() }),
  run: async ({ text, lang }) => ({ words: text.split(' '), lang }),
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('defineStep', () => {
  it('runs with the parsed input (defaults applied)', async () => {
    const { output } = await pipeline('p', tokenize).run({ text: 'a b' });
    expect(output).toEqual({ words: ['a', 'b'], lang: 'en' });
    expect(tokenize.description).toBe('splits text into words');
  });

  it('rejects invalid input with STEP_INPUT_INVALID naming step, field and fix', async () => {
    const error = await failure(pipeline('ingest', tokenize).run({ text: 42 } as never));
    expect(isFerryError(error, 'STEP_INPUT_INVALID')).toBe(true);
    if (!isFerryError(error)) return;
    expect(error.field).toBe('text');
    expect(error.message).toContain('input of step "tokenize" (pipeline "ingest")');
    expect(error.hint).toMatch(/Set "text" to a valid value/);
  });

  it('blames the step before when a later step rejects its input', async () => {
    const count = defineStep({
      name: 'count',
      input: z.object({ words: z.array(z.string()).min(3) }),
      output: z.number(),
      run: ({ words }) => words.length,
    });
    const error = await failure(pipeline('p', tokenize, count).run({ text: 'one two' }));
    expect(isFerryError(error, 'STEP_INPUT_INVALID')).toBe(true);
    if (!isFerryError(error)) return;
    expect(error.field).toBe('words');
    expect(error.message).toContain('step "count"');
    expect(error.hint).toContain('Step "tokenize" returned a value that step "count" does not accept at "words"');
  });

  it('rejects output that breaks the schema with STEP_OUTPUT_INVALID', async () => {
    const broken = defineStep({
      name: 'broken',
      input: z.string(),
      output: z.object({ items: z.array(z.object({ score: z.number() })) }),
      run: () => ({ items: [{ score: 1 }, { score: 'high' as unknown as number }] }),
    });
    const error = await failure(pipeline('p', broken).run('x'));
    expect(isFerryError(error, 'STEP_OUTPUT_INVALID')).toBe(true);
    if (!isFerryError(error)) return;
    expect(error.field).toBe('items[1].score');
    expect(error.message).toContain('output of step "broken"');
    expect(error.hint).toContain('fix the step\'s run function');
  });

  it('accepts schemas with async refinements and transforms', async () => {
    const known = new Set(['ada']);
    const lookup = defineStep({
      name: 'lookup',
      input: z.string().refine(async (name) => known.has(name), 'unknown user'),
      output: z.string().transform(async (name) => name.toUpperCase()),
      run: (name) => name,
    });
    expect((await pipeline('p', lookup).run('ada')).output).toBe('ADA');
    const error = await failure(pipeline('p', lookup).run('bob'));
    expect(isFerryError(error, 'STEP_INPUT_INVALID')).toBe(true);
    if (isFerryError(error)) expect(error.message).toContain('unknown user');
  });

  it('checks the definition', () => {
    const run = async (): Promise<string> => 'x';
    expect(() => defineStep({ name: ' ', input: z.string(), output: z.string(), run })).toThrow(/PIPELINE_INVALID.*non-empty name/);
    expect(() => defineStep({ name: 's', input: {} as z.ZodString, output: z.string(), run })).toThrow(/"input" is not a zod schema/);
    expect(() => defineStep({ name: 's', input: z.string(), output: z.string(), run: undefined as never })).toThrow(/no run function/);
  });

  it('is immutable under use: middleware makes a new step', () => {
    const tagged = tokenize.use({ name: 'noop', wrap: (next) => next });
    expect(tagged).not.toBe(tokenize);
    expect(tagged.middleware).toEqual(['noop']);
    expect(tokenize.middleware).toEqual([]);
  });

  it('applies middleware inside out: later use() wraps earlier ones', async () => {
    const order: string[] = [];
    const mark = (name: string): Middleware<string, string> => ({
      name,
      wrap: (next) => async (input, ctx) => {
        order.push(`${name}>`);
        const out = await next(input, ctx);
        order.push(`<${name}`);
        return out;
      },
    });
    const echo = defineStep({ name: 'echo', input: z.string(), output: z.string(), run: (s) => s });
    await pipeline('p', echo.use(mark('a'), mark('b')).use(mark('c'))).run('x');
    expect(order).toEqual(['c>', 'b>', 'a>', '<a', '<b', '<c']);
  });
});
