import { decodePayloads } from './decode-payloads.js';
import { INJECTION_RULES } from './injection-rules.js';
import type { InjectionReason, InjectionRule, InjectionSource } from './injection-rule.js';

export type InjectionVerdict = 'allow' | 'flag' | 'block';

export interface InjectionThresholds {
  /** Risk at or above which text is flagged; 0.45 by default. */
  readonly flag: number;
  /** Risk at or above which text is blocked; 0.75 by default. */
  readonly block: number;
}

export interface DetectInjectionOptions {
  /** Where the text came from; 'document' also applies the rules for instructions hidden in retrieved content. */
  readonly source?: InjectionSource;
  readonly thresholds?: Partial<InjectionThresholds>;
  /** Replaces the built-in rules, say to add house rules to `INJECTION_RULES`. */
  readonly rules?: readonly InjectionRule[];
}

export interface InjectionResult {
  readonly risk: number;
  readonly verdict: InjectionVerdict;
  readonly reasons: InjectionReason[];
}

export const DEFAULT_THRESHOLDS: InjectionThresholds = { flag: 0.45, block: 0.75 };

/** Hiding instructions in an encoding is itself a sign of intent, on top of what they say. */
const ENCODED_WEIGHT = 0.3;

export function detectInjection(text: string, options: DetectInjectionOptions = {}): InjectionResult {
  const source = options.source ?? 'user';
  const rules = (options.rules ?? INJECTION_RULES).filter((r) => !r.sources || r.sources.includes(source));
  const reasons = scan(text, rules, '');
  const seen = new Set(reasons.map((r) => r.rule));
  for (const payload of decodePayloads(text)) {
    // Rules that already hit the plain text would only be counted twice (rot13 leaves Chinese as it is).
    const hidden = scan(payload.text, rules, `${payload.encoding}: `).filter((r) => !seen.has(r.rule));
    if (hidden.length === 0) continue;
    reasons.push(...hidden, { rule: 'encoded-payload', evidence: `${payload.encoding}: ${payload.text.slice(0, 80)}`, weight: ENCODED_WEIGHT });
    for (const r of hidden) seen.add(r.rule);
  }
  return score(reasons, { ...DEFAULT_THRESHOLDS, ...options.thresholds });
}

function scan(text: string, rules: readonly InjectionRule[], prefix: string): InjectionReason[] {
  const reasons: InjectionReason[] = [];
  for (const rule of rules) {
    const m = text.match(rule.pattern);
    if (m) reasons.push({ rule: rule.id, evidence: prefix + m[0].trim(), weight: rule.weight });
  }
  return reasons;
}

/**
 * Independent evidence combines as 1 - Π(1 - w), counting each rule family once
 * at its strongest hit, so ten phrasings of one trick do not add up to certainty.
 */
function score(reasons: InjectionReason[], thresholds: InjectionThresholds): InjectionResult {
  const strongest = new Map<string, number>();
  for (const r of reasons) strongest.set(r.rule, Math.max(strongest.get(r.rule) ?? 0, r.weight));
  let clean = 1;
  for (const w of strongest.values()) clean *= 1 - w;
  const risk = Math.round((1 - clean) * 1000) / 1000;
  const verdict: InjectionVerdict = risk >= thresholds.block ? 'block' : risk >= thresholds.flag ? 'flag' : 'allow';
  return { risk, verdict, reasons };
}
