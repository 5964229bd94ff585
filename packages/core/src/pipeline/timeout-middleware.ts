import { FerryError } from '../errors/ferry-error.js';
import { Deadline } from './deadline.js';
import type { GenericMiddleware } from './middleware.js';

/**
 * Fails a call that runs longer than `ms` with STEP_TIMEOUT and aborts the
 * signal the step sees, so its fetches and model calls stop too. An abort of
 * the run rejects at once as well, even if the step ignores its signal.
 */
export function timeout(ms: number): GenericMiddleware {
  if (!(ms > 0) || !Number.isFinite(ms)) {
    throw new FerryError('PIPELINE_INVALID', `timeout must be a positive number of milliseconds, got ${ms}`, {
      field: 'ms',
      hint: 'Pass the longest a healthy call may take, e.g. timeout(30_000).',
    });
  }
  return {
    name: 'timeout',
    wrap: (next, step) => async (input, ctx) => {
      ctx.signal.throwIfAborted();
      const deadline = new Deadline(ctx.signal);
      // Rejects at once on a timeout or an aborted run, even if the step ignores its signal.
      const stopped = new Promise<never>((_, reject) => {
        deadline.signal.addEventListener('abort', () => reject(deadline.signal.reason), { once: true });
      });
      deadline.arm(ms, undefined, () =>
        new FerryError('STEP_TIMEOUT', `step "${step.name}" did not finish within ${ms} ms`, {
          hint: `If the step is slow but healthy (a cold model, a long batch), raise the limit, e.g. timeout(${ms * 2}); otherwise find what it waits on.`,
          details: { step: step.name, pipeline: ctx.pipeline, timeoutMs: ms },
        }),
      );
      try {
        return await Promise.race([next(input, ctx.withSignal(deadline.signal)), stopped]);
      } finally {
        deadline.dispose();
      }
    },
  };
}
