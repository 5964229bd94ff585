export { findPii } from './find-pii.js';
export { redact, type RedactOptions, type RedactResult } from './redact.js';
export { redactGuard, type RedactGuardOptions } from './redact-guard.js';
export type { PiiSpan, PiiType } from './pii-span.js';
