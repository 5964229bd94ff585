import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isFerryError } from '../errors/ferry-error.js';
import { defineStep } from './define-step.js';
import { mapStep } from './map-step.js';
import { pipeline } from './pipeline.js';
import type { PipelineEvent } from './progress.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function embedder() {
  let running = 0;
  let peak = 0;
  const aborted: string[] = [];
  const step = defineStep({
    name: 'embed',
    input: z.object({ text: z.string().min(1) }),
    output: z.array(z.number()),
    run: async ({ text }, ctx) => {
      running++;
      peak = Math.max(peak, running);
      try {
        await sleep(text.length);
        if (text === 'boom') throw new Error('embedder crashed');
        if (ctx.signal.aborted) aborted.push(text);
        return [text.length];
      } finally {
        running--;
      }
    },
  });
  return { step, peak: () => peak, aborted };
}

describe('mapStep', () => {
  it('runs the step per element with a concurrency limit, keeping order and reporting progress', async () => {
    const { step, peak } = embedder();
    const events: PipelineEvent[] = [];
    const texts = ['aaaaaaaa', 'b', 'cccc', 'dd', 'eeeeee', 'f'];
    const { output, trace } = await pipeline('ingest', mapStep(step, { concurrency: 2 })).run(
      texts.map((text) => ({ text })),
      { onEvent: (e) => events.push(e) },
    );
    expect(output).toEqual(texts.map((t) => [t.length]));
    expect(peak()).toBe(2);
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.map((e) => (e.type === 'progress' ? [e.step, e.current, e.total] : []))).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => ['map(embed)', n, 6]),
    );
    const map = trace.find((s) => s.name === 'map(embed)');
    expect(trace.filter((s) => s.name === 'embed' && s.parentId === map?.id)).toHaveLength(6);
  });

  it('names the element in validation errors', async () => {
    const { step } = embedder();
    const error = await pipeline('ingest', mapStep(step))
      .run([{ text: 'ok' }, { text: '' }])
      .catch((e: unknown) => e);
    expect(isFerryError(error, 'STEP_INPUT_INVALID')).toBe(true);
    expect(isFerryError(error) && error.field).toBe('[1].text');
    expect(String(error)).toContain('input of step "embed"');
  });

  it('rejects a non-array input', async () => {
    const { step } = embedder();
    await expect(pipeline('ingest', mapStep(step, { name: 'embed-all' })).run({ text: 'x' } as never)).rejects.toThrow(
      /input of step "embed-all".*must be an array/,
    );
  });

  it('fails on the first error, aborting the elements still running and starting no more', async () => {
    const { step, aborted } = embedder();
    const items = ['boom', 'slow-element', 'never-started'].map((text) => ({ text }));
    await expect(pipeline('ingest', mapStep(step, { concurrency: 2 })).run(items)).rejects.toThrow('embedder crashed');
    expect(aborted).toEqual(['slow-element']);
  });

  it('handles an empty array and checks its options', async () => {
    const { step } = embedder();
    expect((await pipeline('ingest', mapStep(step)).run([])).output).toEqual([]);
    expect(() => mapStep(step, { concurrency: 0 })).toThrow(/concurrency must be a positive integer/);
  });
});
