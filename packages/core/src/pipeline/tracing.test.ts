import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStep } from './define-step.js';
import { pipeline } from './pipeline.js';
import { Tracer } from './tracing.js';

/** A clock that moves only when told to, so durations are exact. */
function manualClock() {
  let now = 1_700_000_000_000;
  return { clock: () => now, tick: (ms: number) => void (now += ms) };
}

describe('tracing', () => {
  it('records the pipeline, its steps and nested spans with durations', async () => {
    const { clock, tick } = manualClock();
    const retrieve = defineStep({
      name: 'retrieve',
      input: z.string(),
      output: z.array(z.string()),
      run: async (query, ctx) => {
        const vector = await ctx.span('embed', async (inner) => {
          tick(5);
          await inner.span('tokenize', () => tick(2));
          return [query.length];
        });
        ctx.setAttributes({ hits: 2 });
        return ctx.span('search', () => (tick(10), vector.map(String)), { store: 'memory' });
      },
    });
    const answer = defineStep({ name: 'answer', input: z.array(z.string()), output: z.string(), run: (docs) => (tick(30), docs.join()) });
    const { trace, runId } = await pipeline('qa', retrieve, answer).run('why', { tracer: new Tracer({ clock }) });

    expect(trace.map((s) => [s.name, s.durationMs])).toEqual([
      ['qa', 47],
      ['retrieve', 17],
      ['embed', 7],
      ['tokenize', 2],
      ['search', 10],
      ['answer', 30],
    ]);
    const byName = new Map(trace.map((s) => [s.name, s]));
    const parentOf = (name: string): string | undefined => trace.find((s) => s.id === byName.get(name)?.parentId)?.name;
    expect(['retrieve', 'embed', 'tokenize', 'search', 'answer'].map(parentOf)).toEqual(['qa', 'retrieve', 'embed', 'retrieve', 'qa']);
    expect(byName.get('qa')?.parentId).toBeUndefined();
    expect(byName.get('retrieve')?.attributes).toEqual({ hits: 2 });
    expect(byName.get('search')?.attributes).toEqual({ store: 'memory' });
    expect(trace.every((s) => s.traceId === runId && s.status === 'ok')).toBe(true);
  });

  it('marks failed spans and their ancestors with the error', async () => {
    const step = defineStep({
      name: 'load',
      input: z.string(),
      output: z.string(),
      run: (path, ctx) =>
        ctx.span('read', () => {
          throw new Error(`ENOENT ${path}`);
        }),
    });
    const tracer = new Tracer();
    await expect(pipeline('ingest', step).run('a.txt', { tracer, runId: 'r' })).rejects.toThrow('ENOENT');
    expect(tracer.spans('r').map((s) => [s.name, s.status, s.error?.message])).toEqual([
      ['ingest', 'error', 'ENOENT a.txt'],
      ['load', 'error', 'ENOENT a.txt'],
      ['read', 'error', 'ENOENT a.txt'],
    ]);
  });

  it('keeps runs apart in a shared tracer and ends a span once', () => {
    const tracer = new Tracer({ clock: () => 0 });
    const a = tracer.start('a', { traceId: 'one' });
    tracer.start('b', { traceId: 'two' }).end();
    const first = a.end();
    expect(a.end(new Error('late'))).toBe(first);
    expect(tracer.spans('one').map((s) => s.name)).toEqual(['a']);
    expect(tracer.spans()).toHaveLength(2);
  });
});
