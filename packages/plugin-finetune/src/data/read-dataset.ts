import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { formatPath } from '@ferry/core';
import type { z } from 'zod';
import { finetuneError } from '../finetune-error.js';
import { parseCsv } from './csv.js';

export interface DatasetRow<T> {
  /** 1-based line in the file. */
  line: number;
  value: T;
}

export interface SkippedRow {
  line: number;
  field: string;
  message: string;
}

export interface Dataset<T> {
  rows: DatasetRow<T>[];
  /** Bad rows left out (only with skipBadRows). */
  skipped: SkippedRow[];
}

export interface ReadDatasetOptions<S extends z.ZodType> {
  /** Validates (and may transform) each row; CSV rows arrive as objects of strings keyed by the header. */
  schema: S;
  /** Default: from the extension (.csv, .jsonl / .ndjson). */
  format?: 'csv' | 'jsonl';
  /** Default utf8; Financial PhraseBank's all-data.csv needs latin1. */
  encoding?: 'utf8' | 'latin1';
  /** Leave bad rows out and count them instead of failing on the first. */
  skipBadRows?: boolean;
}

/** Reads a JSONL or CSV file row by row through a zod schema; a bad row fails with its line and field, or is skipped and counted. */
export async function readDataset<S extends z.ZodType>(path: string, options: ReadDatasetOptions<S>): Promise<Dataset<z.output<S>>> {
  const text = await readFile(path, options.encoding ?? 'utf8');
  return parseDataset(text, { ...options, source: path });
}

export function parseDataset<S extends z.ZodType>(text: string, options: ReadDatasetOptions<S> & { source?: string }): Dataset<z.output<S>> {
  const source = options.source ?? 'dataset';
  const format = options.format ?? formatOf(source);
  const rows: DatasetRow<z.output<S>>[] = [];
  const skipped: SkippedRow[] = [];
  const bad = (line: number, field: string, message: string): void => {
    if (!options.skipBadRows) {
      throw finetuneError(`${source}:${line}.${field}`, `${source} line ${line}, field "${field}": ${message}`, 'Fix the row, or pass skipBadRows: true to leave bad rows out (they are counted).', { details: { line, field } });
    }
    skipped.push({ line, field, message });
  };
  const accept = (line: number, raw: unknown): void => {
    const parsed = options.schema.safeParse(raw);
    if (parsed.success) {
      rows.push({ line, value: parsed.data });
      return;
    }
    const issue = parsed.error.issues[0];
    bad(line, issue ? formatPath(issue.path) || '(row)' : '(row)', issue?.message ?? 'invalid row');
  };
  if (format === 'jsonl') {
    text.split('\n').forEach((content, index) => {
      if (content.trim() === '') return;
      let raw: unknown;
      try {
        raw = JSON.parse(content);
      } catch (error) {
        bad(index + 1, '(json)', `not valid JSON: ${(error as Error).message}`);
        return;
      }
      accept(index + 1, raw);
    });
    return { rows, skipped };
  }
  const [header, ...records] = parseCsv(text, source);
  if (header === undefined) throw finetuneError(source, `${source} is empty`, 'Give a CSV file with a header row.');
  for (const record of records) {
    if (record.values.length !== header.values.length) {
      bad(record.line, '(columns)', `has ${record.values.length} columns, the header has ${header.values.length}`);
      continue;
    }
    accept(record.line, Object.fromEntries(header.values.map((name, i) => [name, record.values[i]])));
  }
  return { rows, skipped };
}

function formatOf(source: string): 'csv' | 'jsonl' {
  const ext = extname(source).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw finetuneError('format', `cannot tell the format of ${source} from its extension`, "Pass format: 'csv' or 'jsonl'.");
}
