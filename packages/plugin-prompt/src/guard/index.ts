export { DEFAULT_THRESHOLDS, detectInjection } from './detect-injection.js';
export type { DetectInjectionOptions, InjectionResult, InjectionThresholds, InjectionVerdict } from './detect-injection.js';
export { decodePayloads, type DecodedPayload } from './decode-payloads.js';
export { HELD_OUT_CASES, INJECTION_CASES, type InjectionCase } from './injection-cases.js';
export { injectionGuard, type InjectionAction, type InjectionGuardOptions } from './injection-guard.js';
export { INJECTION_RULES } from './injection-rules.js';
export type { InjectionReason, InjectionRule, InjectionSource } from './injection-rule.js';
export { stripInjection } from './strip-injection.js';
