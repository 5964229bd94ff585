import { FerryError, isFerryError } from '../errors/ferry-error.js';
import type { FerryErrorCode } from '../errors/ferry-error.js';
import type { GenericMiddleware } from './middleware.js';

export interface RetryOptions {
  /** Tries in all, the first included; default 3. */
  attempts?: number;
  /** Wait before the second try; doubles (by `factor`) each time. Default 200. */
  baseDelayMs?: number;
  /** Default 2. */
  factor?: number;
  /** Default 10 000. */
  maxDelayMs?: number;
  /** Share of each wait drawn at random, 0 (none) to 1 (full jitter); default 0.5. */
  jitter?: number;
  /** Whether an error is worth another try; default `isRetryable`. */
  retryOn?: (error: unknown) => boolean;
  /** Injectable for deterministic tests. */
  random?: () => number;
}

// Trying again cannot fix these: the same input meets the same schema or guard.
const PERMANENT = new Set<FerryErrorCode>(['STEP_INPUT_INVALID', 'STEP_OUTPUT_INVALID', 'GUARD_REJECTED', 'PIPELINE_INVALID']);

/** The default `retryOn`: everything but validation, guard and definition errors. */
export function isRetryable(error: unknown): boolean {
  return !(isFerryError(error) && PERMANENT.has(error.code));
}

/** Wait before try number `attempt + 1`, in ms. */
export function backoffDelay(attempt: number, options: RetryOptions = {}): number {
  const { baseDelayMs = 200, factor = 2, maxDelayMs = 10_000, jitter = 0.5, random = Math.random } = options;
  const ceiling = Math.min(maxDelayMs, baseDelayMs * factor ** (attempt - 1));
  return ceiling * (1 - jitter * random());
}

/** Retries a failing step with exponential backoff; stops at once when the run is aborted. */
export function retry(options: RetryOptions = {}): GenericMiddleware {
  const attempts = options.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new FerryError('PIPELINE_INVALID', `retry attempts must be a positive integer, got ${attempts}`, {
      field: 'attempts',
      hint: 'Set attempts to the total number of tries, first included, e.g. retry({ attempts: 3 }).',
    });
  }
  const retryOn = options.retryOn ?? isRetryable;
  return {
    name: 'retry',
    wrap: (next) => async (input, ctx) => {
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await next(input, ctx);
          ctx.setAttributes({ 'retry.attempts': attempt });
          return result;
        } catch (error) {
          if (attempt >= attempts || ctx.signal.aborted || !retryOn(error)) {
            ctx.setAttributes({ 'retry.attempts': attempt });
            throw error;
          }
          await sleep(backoffDelay(attempt, options), ctx.signal);
        }
      }
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
