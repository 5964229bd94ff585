import type { StepContext } from './step-context.js';

/**
 * The part of a step that middleware wraps: it gets the validated input and
 * returns what `run` returns; output validation happens after the whole stack,
 * so a cached or guarded value is checked like a fresh one.
 */
export type StepHandler<V, R> = (input: V, ctx: StepContext) => Promise<R>;

export interface StepInfo {
  readonly name: string;
  /** Names of the middleware already inside this one, innermost first. */
  readonly inner: readonly string[];
}

/**
 * Wraps a step's handler. `wrap` runs once, when `step.use(...)` builds the
 * step, so per-step state (a batch queue) lives in its closure.
 */
export interface Middleware<V = any, R = any> {
  readonly name: string;
  wrap(next: StepHandler<V, R>, step: StepInfo): StepHandler<V, R>;
}

/**
 * Middleware that fits every step whose validated input is a `V` and whose
 * run returns an `R` (any step, with the defaults): retry, timeout, cache, guard.
 */
export interface GenericMiddleware<V = unknown, R = unknown> {
  readonly name: string;
  wrap<SV extends V, SR extends R>(next: StepHandler<SV, SR>, step: StepInfo): StepHandler<SV, SR>;
}
