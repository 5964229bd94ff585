import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Deadline } from './deadline.js';

describe('Deadline', () => {
  it('aborts with a TimeoutError naming the limit when the time runs out', async () => {
    const deadline = new Deadline<'timeoutMs'>(new AbortController().signal);
    deadline.arm(20, 'timeoutMs', 'response');
    await sleep(40);
    expect(deadline.signal.aborted).toBe(true);
    expect((deadline.signal.reason as DOMException).name).toBe('TimeoutError');
    expect((deadline.signal.reason as DOMException).message).toBe('no response within 20 ms');
    expect(deadline.expired).toEqual({ ms: 20, label: 'timeoutMs' });
    deadline.dispose();
  });

  it('builds its own abort reason only when the time runs out', async () => {
    let built = 0;
    const reason = new Error('too slow');
    const deadline = new Deadline(undefined);
    deadline.arm(10, undefined, () => (built++, reason));
    deadline.arm(20, undefined, () => (built++, reason));
    expect(built).toBe(0);
    await sleep(40);
    expect(built).toBe(1);
    expect(deadline.signal.reason).toBe(reason);
  });

  it('follows the caller, which is not a timeout, and a caller that already gave up', () => {
    const caller = new AbortController();
    const deadline = new Deadline(caller.signal);
    deadline.arm(10_000, undefined, 'answer');
    caller.abort(new Error('client gone'));
    expect(deadline.signal.aborted).toBe(true);
    expect((deadline.signal.reason as Error).message).toBe('client gone');
    expect(deadline.expired).toBeUndefined();
    deadline.dispose();
    expect(new Deadline(caller.signal).signal.reason).toBe(caller.signal.reason);
  });

  it('re-arms: each arm restarts the clock, disarm stops it', async () => {
    const deadline = new Deadline<'idle'>(undefined);
    deadline.arm(30, 'idle', 'chunk');
    await sleep(15);
    deadline.arm(30, 'idle', 'chunk');
    await sleep(20);
    expect(deadline.signal.aborted).toBe(false);
    deadline.disarm();
    await sleep(30);
    expect(deadline.signal.aborted).toBe(false);
    deadline.arm(10, 'idle', 'chunk');
    await sleep(30);
    expect(deadline.expired).toEqual({ ms: 10, label: 'idle' });
  });

  it('stops the clock and lets go of the caller once disposed', async () => {
    const caller = new AbortController();
    const deadline = new Deadline(caller.signal);
    deadline.arm(20, undefined, 'answer');
    deadline.dispose();
    caller.abort();
    await sleep(40);
    expect(deadline.signal.aborted).toBe(false);
    expect(deadline.expired).toBeUndefined();
  });
});
