import type { Guard, GuardVerdict } from '@ferry/core';
import { detectInjection } from './detect-injection.js';
import type { DetectInjectionOptions, InjectionResult } from './detect-injection.js';
import { stripInjection } from './strip-injection.js';

export type InjectionAction = 'block' | 'flag' | 'strip';

export interface InjectionGuardOptions extends DetectInjectionOptions {
  readonly name?: string;
  /**
   * What to do with risky input: 'block' refuses text at the block threshold (flagged text passes,
   * reported); 'strip' removes the offending sentences from flagged or blocked text; 'flag' only reports.
   * 'block' by default.
   */
  readonly action?: InjectionAction;
  /** Told about every flagged or blocked string; `path` is the dotted field, '' for a bare string. */
  readonly onFlag?: (result: InjectionResult, path: string) => void;
}

/** Checks every string of a step's input, however deeply nested, for prompt injection. */
export function injectionGuard(options: InjectionGuardOptions = {}): Guard {
  const action = options.action ?? 'block';
  const name = options.name ?? 'prompt-injection';
  return {
    name,
    checkInput(value): GuardVerdict<unknown> {
      let refusal: GuardVerdict<unknown> | undefined;
      let changed = false;
      const walk = (v: unknown, path: string): unknown => {
        if (typeof v === 'string') {
          const result = detectInjection(v, options);
          if (result.verdict === 'allow') return v;
          options.onFlag?.(result, path);
          if (action === 'strip') {
            changed = true;
            return stripInjection(v, options);
          }
          if (action === 'block' && result.verdict === 'block' && !refusal) refusal = reject(result, path);
          return v;
        }
        if (Array.isArray(v)) return v.map((x, i) => walk(x, path ? `${path}.${i}` : String(i)));
        if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
          return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, path ? `${path}.${k}` : k)]));
        }
        return v;
      };
      const rewritten = walk(value, '');
      if (refusal) return refusal;
      return changed ? { ok: true, value: rewritten } : { ok: true };
    },
  };
}

function reject(result: InjectionResult, path: string): GuardVerdict<unknown> {
  const rules = [...new Set(result.reasons.map((r) => r.rule))].join(', ');
  return {
    ok: false,
    reason: `possible prompt injection (risk ${result.risk}: ${rules})`,
    ...(path ? { field: path } : {}),
    hint: 'Rephrase the request without instructions aimed at the assistant; if this is a false positive, raise the guard thresholds or use action "flag".',
  };
}
