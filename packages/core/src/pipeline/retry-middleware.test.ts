import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { FerryError } from '../errors/ferry-error.js';
import { defineStep } from './define-step.js';
import { pipeline } from './pipeline.js';
import { backoffDelay, isRetryable, retry } from './retry-middleware.js';
import type { RetryOptions } from './retry-middleware.js';

function flaky(failures: unknown[]) {
  let calls = 0;
  const step = defineStep({
    name: 'call-model',
    input: z.string(),
    output: z.string(),
    run: (s) => {
      const error = failures[calls++];
      if (error !== undefined) throw error;
      return s.toUpperCase();
    },
  });
  return { step, calls: () => calls };
}

const noJitter: RetryOptions = { baseDelayMs: 100, jitter: 0 };

describe('retry middleware', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries until success, waiting with exponential backoff', async () => {
    const { step, calls } = flaky([new Error('503'), new Error('503')]);
    const run = pipeline('p', step.use(retry({ attempts: 3, ...noJitter }))).run('ok');
    await vi.advanceTimersByTimeAsync(0);
    expect(calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls()).toBe(2);
    await vi.advanceTimersByTimeAsync(199);
    expect(calls()).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    const result = await run;
    expect(result.output).toBe('OK');
    expect(calls()).toBe(3);
    expect(result.trace.find((s) => s.name === 'call-model')?.attributes['retry.attempts']).toBe(3);
  });

  it('gives up after the last attempt with the last error', async () => {
    const { step, calls } = flaky([new Error('one'), new Error('two'), new Error('three')]);
    const run = pipeline('p', step.use(retry({ attempts: 2, ...noJitter }))).run('x');
    const outcome = expect(run).rejects.toThrow('two');
    await vi.runAllTimersAsync();
    await outcome;
    expect(calls()).toBe(2);
  });

  it('does not retry errors another try cannot fix', async () => {
    const rejected = new FerryError('GUARD_REJECTED', 'no', { hint: 'h' });
    const { step, calls } = flaky([rejected]);
    await expect(pipeline('p', step.use(retry())).run('x')).rejects.toBe(rejected);
    expect(calls()).toBe(1);
    expect(isRetryable(new FerryError('STEP_INPUT_INVALID', 'm', { hint: 'h' }))).toBe(false);
    expect(isRetryable(new FerryError('STEP_TIMEOUT', 'm', { hint: 'h' }))).toBe(true);
    expect(isRetryable(new Error('ECONNRESET'))).toBe(true);
  });

  it('follows a custom retryOn', async () => {
    const { step, calls } = flaky([new Error('429'), new Error('400')]);
    const run = pipeline('p', step.use(retry({ attempts: 5, retryOn: (e) => (e as Error).message === '429', ...noJitter }))).run('x');
    const outcome = expect(run).rejects.toThrow('400');
    await vi.runAllTimersAsync();
    await outcome;
    expect(calls()).toBe(2);
  });

  it('stops waiting as soon as the run is aborted', async () => {
    const { step, calls } = flaky([new Error('503'), new Error('503')]);
    const controller = new AbortController();
    const run = pipeline('p', step.use(retry({ attempts: 5, ...noJitter }))).run('x', { signal: controller.signal });
    const outcome = expect(run).rejects.toThrow('shutting down');
    await vi.advanceTimersByTimeAsync(50);
    controller.abort(new Error('shutting down'));
    await outcome;
    expect(calls()).toBe(1);
  });

  it('computes capped, jittered delays', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, { baseDelayMs: 100, jitter: 0, maxDelayMs: 500 }))).toEqual([100, 200, 400, 500]);
    expect(backoffDelay(2, { baseDelayMs: 100, jitter: 0.5, random: () => 1 })).toBe(100);
    expect(backoffDelay(2, { baseDelayMs: 100, jitter: 1, random: () => 0.25 })).toBe(150);
    expect(() => retry({ attempts: 0 })).toThrow(/attempts must be a positive integer/);
  });
});
