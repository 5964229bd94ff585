import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isFerryError } from '../errors/ferry-error.js';
import { PipelineRegistry } from '../plugins/pipeline-registry.js';
import { defineStep } from './define-step.js';
import { definePipeline, pipeline } from './pipeline.js';
import type { PipelineEvent } from './progress.js';
import { Tracer } from './tracing.js';

const split = defineStep({
  name: 'split',
  input: z.object({ text: z.string() }),
  output: z.object({ words: z.array(z.string()) }),
  run: ({ text }) => ({ words: text.split(' ') }),
});
const count = defineStep({
  name: 'count',
  input: z.object({ words: z.array(z.string()) }),
  output: z.number(),
  run: ({ words }) => words.length,
});
const length = defineStep({ name: 'length', input: z.string(), output: z.number(), run: (s) => s.length });
const needsMore = defineStep({
  name: 'needs-more',
  input: z.object({ words: z.array(z.string()), limit: z.number() }),
  output: z.number(),
  run: ({ words, limit }) => Math.min(words.length, limit),
});
const withDefault = defineStep({
  name: 'with-default',
  input: z.object({ words: z.array(z.string()), limit: z.number().default(2) }),
  output: z.number(),
  run: ({ words, limit }) => Math.min(words.length, limit),
});

describe('pipeline', () => {
  it('chains output to input with inferred types', async () => {
    const p = pipeline('words', split, count);
    const result = await p.run({ text: 'a b c' });
    const n: number = result.output;
    expect(n).toBe(3);
    expect(result.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await pipeline('d', split, withDefault).run({ text: 'a b c' })).output).toBe(2);
  });

  it('rejects mismatched chains at compile time', () => {
    // Compile-time checks (tsconfig.tests.json); at run time these only build.
    // @ts-expect-error count returns a number, length takes a string
    pipeline('bad', split, count, length);
    // @ts-expect-error needs-more wants a limit that split does not return
    pipeline('bad2', split, needsMore);
    // @ts-expect-error same check through definePipeline
    definePipeline({ name: 'bad3', steps: [split, length] });
    // @ts-expect-error the run input is the first step's input
    void pipeline('ok', split).run({ txt: 'a' }).catch(() => undefined);
    const p = definePipeline({ name: 'ok', description: 'counts words', steps: [split, count] });
    type Output = Awaited<ReturnType<typeof p.run>>['output'];
    // @ts-expect-error the output is a number
    const s: string = 0 as Output;
    void s;
    expect(p.description).toBe('counts words');
  });

  it('parses a value once when a step takes the very schema the step before returns', async () => {
    let parses = 0;
    const shared = z.object({ words: z.array(z.string()) }).refine(() => ++parses > 0);
    const tidy = defineStep({ name: 'tidy', input: z.object({ text: z.string() }), output: shared, run: ({ text }) => ({ words: text.split(' ') }) });
    const keep = defineStep({ name: 'keep', input: shared, output: shared, run: (value) => value });
    await pipeline('once', tidy, keep, count).run({ text: 'a b' });
    // tidy's and keep's outputs: the inputs of keep and count are those very values.
    expect(parses).toBe(2);
    // An equal but distinct schema is still parsed: only the same schema object vouches for the value.
    const lookalike = defineStep({ name: 'lookalike', input: z.object({ words: z.array(z.string()) }).refine(() => ++parses > 0), output: z.number(), run: ({ words }) => words.length });
    parses = 0;
    await pipeline('twice', tidy, lookalike).run({ text: 'a b' });
    expect(parses).toBe(2);
  });

  it('checks the definition: empty, duplicate names, non-steps', () => {
    const invalid = (fn: () => unknown): unknown => {
      try {
        fn();
      } catch (error) {
        return error;
      }
      return expect.unreachable('expected PIPELINE_INVALID');
    };
    const empty = invalid(() => definePipeline({ name: 'empty', steps: [] as never }));
    expect(isFerryError(empty, 'PIPELINE_INVALID') && empty.field).toBe('steps');
    const twice = invalid(() => pipeline('twice', split, count, count as never));
    expect(isFerryError(twice, 'PIPELINE_INVALID') && twice.field).toBe('steps[2].name');
    expect(String(twice)).toContain('steps[1] and steps[2] are both named "count"');
    const notStep = invalid(() => pipeline('odd', split, { name: 'x' } as never));
    expect(isFerryError(notStep, 'PIPELINE_INVALID') && notStep.field).toBe('steps[1]');
    expect(() => pipeline('', split)).toThrow(/non-empty name/);
  });

  it('fits the plugin registry', async () => {
    const registry = new PipelineRegistry();
    registry.register(pipeline('rag.count', split, count));
    const result = (await registry.get('rag.count').run({ text: 'x y' })) as { output: number };
    expect(result.output).toBe(2);
  });

  it('emits start, progress and end events in order', async () => {
    const events: PipelineEvent[] = [];
    const work = defineStep({
      name: 'work',
      input: z.number(),
      output: z.number(),
      run: (n, ctx) => {
        for (let i = 1; i <= n; i++) ctx.emit({ current: i, total: n, message: `item ${i}` });
        return n;
      },
    });
    const double = defineStep({ name: 'double', input: z.number(), output: z.number(), run: (n) => n * 2 });
    const { runId } = await pipeline('jobs', work, double).run(2, { onEvent: (e) => events.push(e) });
    expect(events.map((e) => `${e.type}:${e.step ?? '-'}`)).toEqual([
      'start:-',
      'start:work',
      'progress:work',
      'progress:work',
      'end:work',
      'start:double',
      'end:double',
      'end:-',
    ]);
    expect(events[1]).toMatchObject({ pipeline: 'jobs', runId, index: 0, steps: 2 });
    expect(events[3]).toMatchObject({ type: 'progress', pipeline: 'jobs', step: 'work', current: 2, total: 2, message: 'item 2' });
    expect(events.every((e) => typeof e.at === 'number' && e.runId === runId)).toBe(true);
  });

  it('emits error events and keeps spans in a caller tracer', async () => {
    const events: PipelineEvent[] = [];
    const tracer = new Tracer();
    const fail = defineStep({
      name: 'fail',
      input: z.number(),
      output: z.number(),
      run: () => {
        throw new Error('boom');
      },
    });
    const run = pipeline('p', fail).run(1, { onEvent: (e) => events.push(e), tracer, runId: 'r1' });
    await expect(run).rejects.toThrow('boom');
    expect(events.map((e) => `${e.type}:${e.step ?? '-'}`)).toEqual(['start:-', 'start:fail', 'error:fail', 'error:-']);
    expect(events[2]).toMatchObject({ error: { message: 'boom' } });
    expect(tracer.spans('r1').map((s) => [s.name, s.status])).toEqual([
      ['p', 'error'],
      ['fail', 'error'],
    ]);
  });

  it('shares a state bag between the steps of one run', async () => {
    const remember = defineStep({
      name: 'remember',
      input: z.string(),
      output: z.string(),
      run: (s, ctx) => {
        ctx.state.set('seen', s);
        return s.toUpperCase();
      },
    });
    const recall = defineStep({
      name: 'recall',
      input: z.string(),
      output: z.string(),
      run: (s, ctx) => `${String(ctx.state.get('seen'))}->${s} (${ctx.pipeline}/${ctx.step})`,
    });
    const p = pipeline('mem', remember, recall);
    expect((await p.run('a')).output).toBe('a->A (mem/recall)');
    expect((await p.run('b')).output).toBe('b->B (mem/recall)');
  });

  it('stops before the next step once aborted', async () => {
    const controller = new AbortController();
    const ran: string[] = [];
    const first = defineStep({
      name: 'first',
      input: z.string(),
      output: z.string(),
      run: (s) => {
        ran.push('first');
        controller.abort(new Error('cancelled by user'));
        return s;
      },
    });
    const second = defineStep({
      name: 'second',
      input: z.string(),
      output: z.string(),
      run: (s) => {
        ran.push('second');
        return s;
      },
    });
    await expect(pipeline('p', first, second).run('x', { signal: controller.signal })).rejects.toThrow('cancelled by user');
    expect(ran).toEqual(['first']);
  });

  it('lets a step invoke another step, nesting its span', async () => {
    const outer = defineStep({
      name: 'outer',
      input: z.object({ text: z.string() }),
      output: z.number(),
      run: async (input, ctx) => (await count.invoke(await split.invoke(input, ctx), ctx)) + 1,
    });
    const { output, trace } = await pipeline('nest', outer).run({ text: 'a b' });
    expect(output).toBe(3);
    const byName = new Map(trace.map((s) => [s.name, s]));
    expect(byName.get('split')?.parentId).toBe(byName.get('outer')?.id);
    expect(byName.get('count')?.parentId).toBe(byName.get('outer')?.id);
    expect(byName.get('outer')?.parentId).toBe(byName.get('nest')?.id);
  });
});
