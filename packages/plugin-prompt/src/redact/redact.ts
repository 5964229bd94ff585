import { findPii } from './find-pii.js';
import type { PiiSpan, PiiType } from './pii-span.js';

export interface RedactOptions {
  /** Only these kinds; all by default. */
  readonly types?: readonly PiiType[];
  /** A fixed string, or one per span; by default a label such as `[EMAIL]`. */
  readonly replacement?: string | ((span: PiiSpan) => string);
}

export interface RedactResult {
  readonly text: string;
  /** What was replaced, with offsets into the original text. */
  readonly spans: PiiSpan[];
}

const LABELS: Record<PiiType, string> = {
  email: '[EMAIL]',
  phone: '[PHONE]',
  card: '[CARD]',
  'cn-resident-id': '[ID_NUMBER]',
  iban: '[IBAN]',
  ip: '[IP]',
  secret: '[SECRET]',
};

export function redact(text: string, options: RedactOptions = {}): RedactResult {
  const spans = findPii(text, options.types);
  const { replacement } = options;
  const replace = (s: PiiSpan): string =>
    typeof replacement === 'function' ? replacement(s) : (replacement ?? LABELS[s.type]);
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + replace(s);
    at = s.end;
  }
  return { text: out + text.slice(at), spans };
}
