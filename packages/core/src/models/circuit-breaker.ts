import { z } from 'zod';
import { FerryError, fromZodError } from '../errors/ferry-error.js';

export const circuitBreakerOptionsSchema = z.strictObject({
  /** Consecutive failures that open the breaker. */
  failures: z.number().int().min(1).max(1000).default(5),
  /** How long it stays open before one trial call may pass (half-open). */
  cooldownMs: z.number().int().positive().max(3_600_000).default(30_000),
});

export type CircuitBreakerOptions = z.input<typeof circuitBreakerOptionsSchema>;
export type CircuitState = 'closed' | 'open' | 'half-open';

/** What `acquire()` hands out: report how the call went, exactly once. */
export interface CircuitTrial {
  succeed(): void;
  /** Counts the failure unless the caller's own signal aborted the call (the caller gave up, the endpoint did not fail). */
  fail(error: unknown, signal?: AbortSignal): void;
  /** The call ended without a verdict (the consumer stopped reading a stream): frees a half-open trial slot. */
  release(): void;
}

/**
 * Stops calling an endpoint that keeps failing. Closed, every call passes
 * and `failures` consecutive failures open it; open, calls fail at once
 * with a FerryError (`details.unavailable`, `details.retryAfterMs`, which
 * @ferry/server answers as 503 + Retry-After) without touching the
 * endpoint; after `cooldownMs` it is half-open and lets one trial call
 * through: success closes it, failure opens it for another cooldown.
 */
export class CircuitBreaker {
  readonly failures: number;
  readonly cooldownMs: number;
  private consecutive = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;

  constructor(
    /** Named in the open error, e.g. the model reference. */
    readonly name: string,
    options: CircuitBreakerOptions = {},
    private readonly now: () => number = () => performance.now(),
  ) {
    const parsed = circuitBreakerOptionsSchema.safeParse(options);
    if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what: 'circuit breaker options', fieldPrefix: 'breaker', hint: 'Pass { failures: 5, cooldownMs: 30000 }.' });
    this.failures = parsed.data.failures;
    this.cooldownMs = parsed.data.cooldownMs;
  }

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  /** Admits one call or throws the open error; half-open admits a single trial at a time. */
  acquire(): CircuitTrial {
    const state = this.state;
    if (state === 'open' || (state === 'half-open' && this.trialInFlight)) throw this.openError();
    const trial = state === 'half-open';
    if (trial) this.trialInFlight = true;
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      if (trial) this.trialInFlight = false;
      return true;
    };
    return {
      succeed: () => {
        if (!settle()) return;
        this.consecutive = 0;
        this.openedAt = undefined;
      },
      fail: (_error, signal) => {
        if (!settle() || callerGaveUp(signal)) return;
        this.consecutive += 1;
        if (trial || this.consecutive >= this.failures) this.openedAt = this.now();
      },
      release: () => void settle(),
    };
  }

  /** Runs `fn` through the breaker. */
  async call<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const trial = this.acquire();
    try {
      const result = await fn();
      trial.succeed();
      return result;
    } catch (error) {
      trial.fail(error, signal);
      throw error;
    }
  }

  private openError(): FerryError {
    const retryAfterMs = Math.max(0, Math.ceil(this.cooldownMs - (this.now() - (this.openedAt ?? this.now()))));
    return new FerryError(
      'PROVIDER_HTTP_ERROR',
      `${this.name} is not called: its circuit breaker opened after ${this.consecutive} consecutive failure${this.consecutive === 1 ? '' : 's'}; a trial call passes in ${retryAfterMs} ms`,
      {
        hint: `The endpoint behind ${this.name} kept failing: check that it is up. Calls resume by themselves after cooldownMs (${this.cooldownMs} ms) once a trial call succeeds.`,
        details: { unavailable: this.name, breaker: 'open', retryAfterMs },
      },
    );
  }
}

/** An abort the caller asked for (client gone), as opposed to a time limit running out. */
function callerGaveUp(signal: AbortSignal | undefined): boolean {
  if (!signal?.aborted) return false;
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name !== 'TimeoutError';
}
