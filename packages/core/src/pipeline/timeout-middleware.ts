import { FerryError } from '../errors/ferry-error.js';
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
      const controller = new AbortController();
      let fail: (reason: unknown) => void = () => {};
      const stopped = new Promise<never>((_, reject) => {
        fail = reject;
      });
      const onAbort = (): void => {
        controller.abort(ctx.signal.reason);
        fail(ctx.signal.reason);
      };
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => {
        const error = new FerryError('STEP_TIMEOUT', `step "${step.name}" did not finish within ${ms} ms`, {
          hint: `If the step is slow but healthy (a cold model, a long batch), raise the limit, e.g. timeout(${ms * 2}); otherwise find what it waits on.`,
          details: { step: step.name, pipeline: ctx.pipeline, timeoutMs: ms },
        });
        controller.abort(error);
        fail(error);
      }, ms);
      try {
        return await Promise.race([next(input, ctx.withSignal(controller.signal)), stopped]);
      } finally {
        clearTimeout(timer);
        ctx.signal.removeEventListener('abort', onAbort);
      }
    },
  };
}
