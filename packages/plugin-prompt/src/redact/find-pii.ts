import { PII_DETECTORS } from './pii-detectors.js';
import type { PiiSpan, PiiType } from './pii-span.js';

/**
 * Every piece of personal data or secret in `text`, in order, without overlaps:
 * where candidates overlap the longest wins (a card number beats the phone number inside it).
 */
export function findPii(text: string, types?: readonly PiiType[]): PiiSpan[] {
  const candidates: PiiSpan[] = [];
  for (const d of PII_DETECTORS) {
    if (types && !types.includes(d.type)) continue;
    // exec on the shared global pattern: matchAll would clone (and re-initialise) the regex on every call.
    d.pattern.lastIndex = 0;
    for (let m = d.pattern.exec(text); m !== null; m = d.pattern.exec(text)) {
      if (d.validate && !d.validate(m[0])) continue;
      candidates.push({ type: d.type, start: m.index, end: m.index + m[0].length, text: m[0] });
    }
  }
  // Stable sort: equal lengths keep detector order, which lists the more specific detectors first.
  candidates.sort((a, b) => b.end - b.start - (a.end - a.start));
  const chosen: PiiSpan[] = [];
  for (const c of candidates) {
    if (chosen.every((s) => c.end <= s.start || c.start >= s.end)) chosen.push(c);
  }
  return chosen.sort((a, b) => a.start - b.start);
}
