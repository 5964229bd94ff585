import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { isFerryError } from '../errors/ferry-error.js';
import { defineStep } from './define-step.js';
import { pipeline } from './pipeline.js';
import { retry } from './retry-middleware.js';
import { timeout } from './timeout-middleware.js';

/** A step that takes `ms` (fake) milliseconds and records the signal it was given. */
function slow(durations: number[]) {
  const signals: AbortSignal[] = [];
  let call = 0;
  const step = defineStep({
    name: 'generate',
    input: z.string(),
    output: z.string(),
    run: (prompt, ctx) => {
      signals.push(ctx.signal);
      const ms = durations[call++] ?? 0;
      return new Promise<string>((resolve) => setTimeout(() => resolve(`${prompt}!`), ms));
    },
  });
  return { step, signals };
}

describe('timeout middleware', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes through a call that finishes in time', async () => {
    const { step, signals } = slow([90]);
    const run = pipeline('p', step.use(timeout(100))).run('hi');
    await vi.advanceTimersByTimeAsync(90);
    expect((await run).output).toBe('hi!');
    expect(signals[0]?.aborted).toBe(false);
  });

  it('rejects with STEP_TIMEOUT naming step and limit, and aborts the signal the step sees', async () => {
    const { step, signals } = slow([5000]);
    const run = pipeline('answer', step.use(timeout(100))).run('hi');
    const outcome = run.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(100);
    const error = await outcome;
    expect(isFerryError(error, 'STEP_TIMEOUT')).toBe(true);
    if (!isFerryError(error)) return;
    expect(error.message).toContain('step "generate" did not finish within 100 ms');
    expect(error.hint).toContain('timeout(200)');
    expect(error.details).toMatchObject({ step: 'generate', pipeline: 'answer', timeoutMs: 100 });
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toBe(error);
  });

  it('times out each attempt when placed inside retry', async () => {
    const { step, signals } = slow([500, 50]);
    const run = pipeline('p', step.use(timeout(100), retry({ baseDelayMs: 10, jitter: 0 }))).run('hi');
    await vi.advanceTimersByTimeAsync(100 + 10 + 50);
    expect((await run).output).toBe('hi!');
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
  });

  it('rejects at once when the run is aborted, even if the step ignores its signal', async () => {
    const { step, signals } = slow([5000]);
    const controller = new AbortController();
    const run = pipeline('p', step.use(timeout(1000))).run('hi', { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error('client went away'));
    await expect(run).rejects.toThrow('client went away');
    expect(signals[0]?.aborted).toBe(true);
  });

  it('rejects a nonsense limit', () => {
    expect(() => timeout(0)).toThrow(/positive number of milliseconds/);
  });
});
