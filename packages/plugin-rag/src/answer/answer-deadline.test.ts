import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { AnswerDeadline } from './answer-deadline.js';

describe('AnswerDeadline', () => {
  it('aborts with a TimeoutError when the time runs out', async () => {
    const deadline = new AnswerDeadline(20, new AbortController().signal);
    await sleep(40);
    expect(deadline.signal?.aborted).toBe(true);
    expect((deadline.signal?.reason as DOMException).name).toBe('TimeoutError');
    expect(deadline.timedOut).toBe(true);
  });

  it('follows the caller, which is not a timeout', () => {
    const caller = new AbortController();
    const deadline = new AnswerDeadline(10_000, caller.signal);
    caller.abort(new Error('client gone'));
    expect(deadline.signal?.aborted).toBe(true);
    expect((deadline.signal?.reason as Error).message).toBe('client gone');
    expect(deadline.timedOut).toBe(false);
    deadline.dispose();
  });

  it('stops the clock and lets go of the caller once disposed', async () => {
    const caller = new AbortController();
    const deadline = new AnswerDeadline(20, caller.signal);
    deadline.dispose();
    caller.abort();
    await sleep(40);
    expect(deadline.signal?.aborted).toBe(false);
    expect(deadline.timedOut).toBe(false);
  });

  it('is the caller signal itself without a time limit', () => {
    const caller = new AbortController().signal;
    expect(new AnswerDeadline(undefined, caller).signal).toBe(caller);
    expect(new AnswerDeadline(undefined, undefined).signal).toBeUndefined();
  });
});
