import type { Guard } from '@ferry/core';
import { redact } from './redact.js';
import type { RedactOptions } from './redact.js';
import type { PiiSpan } from './pii-span.js';

export interface RedactGuardOptions extends RedactOptions {
  readonly name?: string;
  /** Told what was removed (say, for an audit log); `path` is the dotted field, '' for a bare string. */
  readonly onRedact?: (spans: PiiSpan[], path: string) => void;
}

/**
 * An output filter: every string in the step's output, however deeply nested,
 * comes back with personal data and secrets replaced. Never refuses.
 */
export function redactGuard(options: RedactGuardOptions = {}): Guard {
  const walk = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') {
      const r = redact(value, options);
      if (r.spans.length > 0) options.onRedact?.(r.spans, path);
      return r.text;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, path ? `${path}.${i}` : String(i)));
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, path ? `${path}.${k}` : k)]));
    }
    return value;
  };
  return {
    name: options.name ?? 'redact-pii',
    checkOutput: (value) => ({ ok: true, value: walk(value, '') }),
  };
}
