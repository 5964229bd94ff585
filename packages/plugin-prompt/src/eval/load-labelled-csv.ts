import { readFile } from 'node:fs/promises';
import { FerryError, fromZodError, parseCsvRecords } from '@ferry/core';
import { z } from 'zod';
import type { EvalExample } from './evaluate-prompts.js';

const rowSchema = z.object({ text: z.string().trim().min(1), label: z.string().trim().min(1) });

export interface LoadLabelledCsvOptions {
  /** Maps the label column's codes to names, e.g. { '0': 'Bearish' }; a code missing from it is an error. */
  labelNames?: Readonly<Record<string, string>>;
}

/** Reads a `text,label` CSV into examples, checking every row. */
export async function loadLabelledCsv(file: string, options: LoadLabelledCsvOptions = {}): Promise<EvalExample[]> {
  const records = parseCsvRecords(await readFile(file, 'utf8'));
  return records.map((record, i) => {
    const parsed = rowSchema.safeParse(record);
    // Row numbers count the header as row 1, as a spreadsheet shows them.
    if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what: `${file} row ${i + 2}` });
    const { text, label } = parsed.data;
    if (!options.labelNames) return { text, label };
    const name = options.labelNames[label];
    if (name === undefined) {
      throw new FerryError('INPUT_INVALID', `${file} row ${i + 2}: label "${label}" is not one of ${Object.keys(options.labelNames).join(', ')}`, {
        field: 'label',
        hint: 'Fix the row, or pass labelNames that cover every code in the file.',
      });
    }
    return { text, label: name };
  });
}

/** Every n-th example so that at most `limit` remain: deterministic, and keeps the label mix of a shuffled file. */
export function strideSample<T>(items: readonly T[], limit: number | undefined): T[] {
  if (limit === undefined || limit >= items.length) return [...items];
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  const stride = items.length / limit;
  return Array.from({ length: limit }, (_, i) => items[Math.floor(i * stride)] as T);
}
