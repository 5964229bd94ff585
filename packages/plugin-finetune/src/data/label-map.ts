import { z } from 'zod';
import { finetuneError } from '../finetune-error.js';

/** Raw label values in the data (codes, abbreviations) to the label names the model learns and is scored on. */
export interface LabelMap {
  /** Label names in a fixed order (used for reports and confusion matrices). */
  labels: readonly string[];
  /** The label name of a raw value; throws with the valid values when unknown. */
  toLabel(raw: string | number): string;
  /** A zod schema for a row's label field: accepts the raw values, outputs the label name. */
  schema: z.ZodType<string, string | number>;
}

export function createLabelMap(mapping: Readonly<Record<string, string>>): LabelMap {
  const entries = Object.entries(mapping);
  if (entries.length < 2) throw finetuneError('labelMap', 'a label map needs at least two labels', 'Map each raw value to a label name, e.g. { "0": "negative", "1": "positive" }.');
  const labels = [...new Set(entries.map(([, name]) => name))];
  const lookup = new Map(entries);
  const valid = `use one of: ${[...lookup.keys()].join(', ')}`;
  return {
    labels,
    schema: z.union([z.string(), z.number()]).transform((raw, ctx) => {
      const name = lookup.get(String(raw).trim());
      if (name !== undefined) return name;
      ctx.addIssue({ code: 'custom', message: `unknown label value "${String(raw)}"; ${valid}` });
      return z.NEVER;
    }),
    toLabel(raw) {
      const name = lookup.get(String(raw).trim());
      if (name === undefined) {
        throw finetuneError('label', `unknown label value "${String(raw)}"`, `${valid[0]!.toUpperCase()}${valid.slice(1)}.`);
      }
      return name;
    },
  };
}

/**
 * Twitter Financial News sentiment (zeroshot/twitter-financial-news-sentiment,
 * /work/shared/data/finance-sentiment/sent_*.csv): 0 = Bearish, 1 = Bullish,
 * 2 = Neutral, named negative / positive / neutral as its SOURCE.md says.
 */
export const FINANCE_SENTIMENT_LABELS: Readonly<Record<string, string>> = Object.freeze({ '0': 'negative', '1': 'positive', '2': 'neutral' });
