import { FerryError } from '../errors/ferry-error.js';
import type { Middleware, StepHandler, StepInfo } from './middleware.js';

export interface BatchOptions<V, R> {
  /** A batch runs as soon as it has this many items. */
  maxSize: number;
  /** ...or this long after its first item arrived. */
  maxWaitMs: number;
  /**
   * Runs in place of the step's `run`, once per batch; returns one result per
   * input, in order. An `Error` in the array fails only that item's caller.
   */
  runBatch(inputs: V[], context: BatchContext): Promise<ReadonlyArray<R | Error>>;
}

export interface BatchContext {
  readonly step: string;
  /** Aborted once every caller in the batch has given up. */
  readonly signal: AbortSignal;
}

interface Waiter<V, R> {
  readonly input: V;
  readonly resolve: (value: R) => void;
  readonly reject: (reason: unknown) => void;
  batch?: { readonly controller: AbortController; readonly size: number; abandoned: number };
}

/**
 * Gathers concurrent calls of a step (e.g. the elements of a `mapStep`) into
 * one `runBatch` call, as embedders and GPUs want. It replaces `run`, so it
 * must be the first middleware of a step: put retry or timeout after it.
 */
export function batch<V, R>(options: BatchOptions<V, R>): Middleware<V, R> {
  const { maxSize, maxWaitMs } = options;
  if (!Number.isInteger(maxSize) || maxSize < 1) {
    throw invalid('maxSize', `batch maxSize must be a positive integer, got ${maxSize}`, 'Set maxSize to the largest batch the model takes, e.g. 32.');
  }
  if (!(maxWaitMs >= 0) || !Number.isFinite(maxWaitMs)) {
    throw invalid('maxWaitMs', `batch maxWaitMs must be zero or more milliseconds, got ${maxWaitMs}`, 'Set maxWaitMs to how long a call may wait for company, e.g. 10.');
  }
  return {
    name: 'batch',
    wrap: (_run: StepHandler<V, R>, step: StepInfo): StepHandler<V, R> => {
      if (step.inner.length > 0) {
        throw invalid(
          'middleware',
          `step "${step.name}": batch replaces the step's run, so ${step.inner.join(', ')} inside it would never run`,
          `Apply batch first: step.use(batch(...), ${step.inner.join('(), ')}()).`,
        );
      }
      let queue: Array<Waiter<V, R>> = [];
      let timer: ReturnType<typeof setTimeout> | undefined;

      const flush = (): void => {
        clearTimeout(timer);
        timer = undefined;
        // Every caller of this round may have aborted while it waited.
        if (queue.length === 0) return;
        const waiters = queue;
        queue = [];
        const controller = new AbortController();
        const state = { controller, size: waiters.length, abandoned: 0 };
        for (const waiter of waiters) waiter.batch = state;
        void execute(waiters, controller.signal);
      };

      const execute = async (waiters: Array<Waiter<V, R>>, signal: AbortSignal): Promise<void> => {
        try {
          const results = await options.runBatch(
            waiters.map((w) => w.input),
            { step: step.name, signal },
          );
          if (!Array.isArray(results) || results.length !== waiters.length) {
            throw new FerryError(
              'STEP_OUTPUT_INVALID',
              `step "${step.name}": runBatch returned ${Array.isArray(results) ? results.length : typeof results} results for ${waiters.length} inputs`,
              { hint: 'Make runBatch return an array with one result (or Error) per input, in input order.' },
            );
          }
          waiters.forEach((waiter, i) => {
            const result = results[i];
            if (result instanceof Error) waiter.reject(result);
            else waiter.resolve(result as R);
          });
        } catch (error) {
          for (const waiter of waiters) waiter.reject(error);
        }
      };

      return (input, ctx) =>
        new Promise<R>((resolve, reject) => {
          ctx.signal.throwIfAborted();
          const onAbort = (): void => {
            const queued = queue.indexOf(waiter);
            if (queued >= 0) queue.splice(queued, 1);
            else if (waiter.batch && ++waiter.batch.abandoned === waiter.batch.size) waiter.batch.controller.abort(ctx.signal.reason);
            reject(ctx.signal.reason);
          };
          const settle = (): void => ctx.signal.removeEventListener('abort', onAbort);
          const waiter: Waiter<V, R> = {
            input,
            resolve: (value) => {
              settle();
              ctx.setAttributes({ 'batch.size': waiter.batch?.size ?? 0 });
              resolve(value);
            },
            reject: (reason) => {
              settle();
              reject(reason);
            },
          };
          ctx.signal.addEventListener('abort', onAbort, { once: true });
          queue.push(waiter);
          if (queue.length >= maxSize) flush();
          else timer ??= setTimeout(flush, maxWaitMs);
        });
    },
  };
}

function invalid(field: string, message: string, hint: string): FerryError {
  return new FerryError('PIPELINE_INVALID', message, { field, hint });
}
