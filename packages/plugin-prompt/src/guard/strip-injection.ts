import { detectInjection } from './detect-injection.js';
import type { DetectInjectionOptions } from './detect-injection.js';

/**
 * Drops every sentence (or line) in which any rule fires and keeps the rest,
 * so a support question survives the "ignore previous instructions" tacked onto it.
 */
export function stripInjection(text: string, options: DetectInjectionOptions = {}): string {
  const sentences = text.match(/[^.!?。！？\n]+(?:[.!?。！？]+|\n+|$)\s*/g) ?? [];
  return sentences
    .filter((s) => detectInjection(s, options).reasons.length === 0)
    .join('')
    .trim();
}
