import { FerryError } from '@ferry/core';
import type { z } from 'zod';
import type { PromptOutput, PromptTemplate, VariablesSchema } from './prompt-template.js';
import type { TokenCounter } from './token-estimate.js';
import { estimateTokens } from './token-estimate.js';

export interface BudgetParts<V extends VariablesSchema, R extends PromptOutput> {
  prompt: PromptTemplate<V, R, z.ZodType | undefined>;
  variables: z.input<V>;
  /** The one variable that may shrink: a string, a list of strings, or a list of `{ text }` documents. */
  trim: Extract<keyof z.input<V>, string>;
}

export interface BudgetOptions {
  maxTokens: number;
  /** Real tokenizer; defaults to estimateTokens (1 per CJK char, ceil(other chars / 4)). */
  countTokens?: TokenCounter;
  /** Appended where text is cut, so the model can tell the passage is incomplete. */
  ellipsis?: string;
}

export interface BudgetResult<V extends VariablesSchema, R extends PromptOutput> {
  variables: z.input<V>;
  rendered: R;
  tokens: number;
  droppedDocuments: number;
  truncated: boolean;
}

type Trimmable = { kind: 'text'; value: string } | { kind: 'list'; items: unknown[] };

function textOf(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  if (typeof item === 'object' && item !== null && typeof (item as { text?: unknown }).text === 'string') {
    return (item as { text: string }).text;
  }
  return undefined;
}

function withText(item: unknown, text: string): unknown {
  return typeof item === 'string' ? text : { ...(item as object), text };
}

/**
 * Shrinks one variable until the rendered prompt fits `maxTokens`: whole
 * documents go first, from the end (retrieval puts the best first), and only
 * the last remaining document's text is cut. Chat prompts are counted as
 * their message contents joined by newlines, without per-message overhead.
 */
export function fitToBudget<V extends VariablesSchema, R extends PromptOutput>(
  parts: BudgetParts<V, R>,
  options: BudgetOptions,
): BudgetResult<V, R> {
  const { prompt, trim } = parts;
  const count = options.countTokens ?? estimateTokens;
  const ellipsis = options.ellipsis ?? '…';
  const vars = parts.variables as Record<string, unknown>;
  const original = vars[trim];
  let trimmable: Trimmable;
  if (typeof original === 'string') trimmable = { kind: 'text', value: original };
  else if (Array.isArray(original) && original.every((item) => textOf(item) !== undefined)) trimmable = { kind: 'list', items: original };
  else {
    throw new FerryError('INPUT_INVALID', `variable "${trim}" of prompt "${prompt.name}" cannot be trimmed`, {
      field: `variables.${trim}`,
      hint: 'Name a variable holding a string, a list of strings, or a list of { text } documents.',
    });
  }

  const measure = (value: unknown): { rendered: R; tokens: number; variables: z.input<V> } => {
    const variables = { ...vars, [trim]: value } as z.input<V>;
    const rendered = prompt.render(variables);
    const text = typeof rendered === 'string' ? rendered : rendered.map((m) => m.content).join('\n');
    return { rendered, tokens: count(text), variables };
  };
  const done = (m: ReturnType<typeof measure>, droppedDocuments: number, truncated: boolean): BudgetResult<V, R> => ({
    ...m,
    droppedDocuments,
    truncated,
  });

  const full = measure(original);
  if (full.tokens <= options.maxTokens) return done(full, 0, false);

  let dropped = 0;
  let cutTarget: { apply: (text: string) => unknown; text: string };
  if (trimmable.kind === 'list') {
    const items = trimmable.items;
    for (let keep = items.length - 1; keep >= 1; keep--) {
      const m = measure(items.slice(0, keep));
      if (m.tokens <= options.maxTokens) return done(m, items.length - keep, false);
    }
    dropped = Math.max(items.length - 1, 0);
    const first = items[0];
    if (first === undefined) throw overBudget(prompt.name, trim, full.tokens, options.maxTokens);
    cutTarget = { text: textOf(first) ?? '', apply: (text) => [withText(first, text)] };
  } else {
    cutTarget = { text: trimmable.value, apply: (text) => text };
  }

  // Binary search over code points, so surrogate pairs and CJK characters are never split.
  const chars = [...cutTarget.text];
  let lo = 0;
  let hi = chars.length - 1;
  let best: ReturnType<typeof measure> | undefined;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const m = measure(cutTarget.apply(chars.slice(0, mid).join('') + ellipsis));
    if (m.tokens <= options.maxTokens) {
      best = m;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (!best) throw overBudget(prompt.name, trim, full.tokens, options.maxTokens);
  return done(best, dropped, true);
}

function overBudget(name: string, trim: string, tokens: number, maxTokens: number): FerryError {
  return new FerryError('INPUT_INVALID', `prompt "${name}" does not fit ${maxTokens} tokens even with "${trim}" emptied (full prompt: ${tokens})`, {
    field: `variables.${trim}`,
    hint: 'Raise maxTokens, or shorten the other variables and the template itself.',
    details: { tokens, maxTokens },
  });
}
