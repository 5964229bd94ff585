import { FerryError } from '../errors/ferry-error.js';
import type { GenericMiddleware, StepHandler } from './middleware.js';
import type { StepContext } from './step-context.js';

/** `value`, when present, replaces what was checked (a redacted copy, say). */
export type GuardVerdict<T> =
  | { readonly ok: true; readonly value?: T }
  | { readonly ok: false; readonly reason: string; readonly field?: string; readonly hint?: string };

/**
 * Checks, and may rewrite, what goes into a step and what comes out of it:
 * PII redaction, prompt-injection checks, output filters.
 */
export interface Guard<V = unknown, R = unknown> {
  readonly name: string;
  checkInput?(value: V, ctx: StepContext): GuardVerdict<V> | Promise<GuardVerdict<V>>;
  checkOutput?(value: R, ctx: StepContext): GuardVerdict<R> | Promise<GuardVerdict<R>>;
}

/**
 * Runs the guards in order on the validated input, each seeing the previous
 * one's rewrite, then in order on the output; a refusal fails the call with GUARD_REJECTED.
 */
export function guard<V = unknown, R = unknown>(...guards: Array<Guard<V, R>>): GenericMiddleware<V, R> {
  return {
    name: 'guard',
    wrap<SV extends V, SR extends R>(next: StepHandler<SV, SR>): StepHandler<SV, SR> {
      return async (input, ctx) => {
        // A rewrite keeps the shape of what it rewrites (a redacted string is a string), hence the casts.
        let value = input;
        for (const g of guards) {
          if (g.checkInput) value = apply(g, 'input', value, (await g.checkInput(value, ctx)) as GuardVerdict<SV>, ctx);
        }
        let output: SR = await next(value, ctx);
        for (const g of guards) {
          if (g.checkOutput) output = apply(g, 'output', output, (await g.checkOutput(output, ctx)) as GuardVerdict<SR>, ctx);
        }
        return output;
      };
    },
  };
}

function apply<T>(g: { name: string }, phase: 'input' | 'output', value: T, verdict: GuardVerdict<T>, ctx: StepContext): T {
  if (verdict.ok) return 'value' in verdict ? (verdict.value as T) : value;
  ctx.setAttributes({ 'guard.rejected': g.name });
  throw new FerryError('GUARD_REJECTED', `guard "${g.name}" rejected the ${phase} of step "${ctx.step}": ${verdict.reason}`, {
    ...(verdict.field === undefined ? {} : { field: verdict.field }),
    hint:
      verdict.hint ??
      (phase === 'input'
        ? `Change the request so that guard "${g.name}" accepts it; if this is a false positive, adjust that guard's settings.`
        : `Step "${ctx.step}" produced content guard "${g.name}" blocks; change its prompt or model, or adjust the guard if this is a false positive.`),
    details: { guard: g.name, phase, step: ctx.step, pipeline: ctx.pipeline, reason: verdict.reason },
  });
}
