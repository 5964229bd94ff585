import { loadError } from './load-error.js';
import { parseCsv, sniffDelimiter } from './csv-records.js';
import type { Extracted, ExtractedPart } from './extracted.js';
import { jsonErrorOffset, lineAndColumn } from './json-error.js';
import { recordText } from './record-text.js';

function parts(records: Array<{ record: unknown }>): ExtractedPart[] {
  return records.map(({ record }, i) => ({ ...recordText(record), row: i + 1 }));
}

/**
 * One part per data row of a CSV/TSV file with a header line; each part is
 * the row's `column: value` lines. Columns without a header are named `column N`.
 */
export function extractCsv(text: string, source: string, extension: string): Extracted {
  const records = parseCsv(text, extension === 'tsv' ? '\t' : sniffDelimiter(text), source);
  const [header, ...rows] = records;
  if (!header || rows.length === 0) return { parts: [] };
  const names = header.cells.map((name, i) => name.trim() || `column ${i + 1}`);
  return {
    parts: parts(
      rows.map(({ cells }) => ({
        record: Object.fromEntries(cells.map((cell, i) => [names[i] ?? `column ${i + 1}`, cell])),
      })),
    ),
  };
}

/**
 * JSON: an array gives one part per element, any other value one part. JSON
 * Lines (.jsonl/.ndjson): one part per non-blank line. Syntax errors name the line.
 */
export function extractJson(text: string, source: string, extension: string): Extracted {
  if (extension === 'jsonl' || extension === 'ndjson') {
    const records: Array<{ record: unknown }> = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        records.push({ record: JSON.parse(line) });
      } catch (error) {
        const column = jsonErrorOffset(line) + 1;
        throw loadError(source, 'malformed', `invalid JSON on line ${i + 1}, column ${column}: ${(error as Error).message}`, `Fix line ${i + 1}: each line of a JSON Lines file must be one complete JSON value.`, error);
      }
    });
    return { parts: parts(records) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const { line, column } = lineAndColumn(text, jsonErrorOffset(text));
    throw loadError(source, 'malformed', `invalid JSON at line ${line}, column ${column}: ${(error as Error).message}`, `Fix the JSON near line ${line}, column ${column} (a JSON validator shows the exact spot).`, error);
  }
  return { parts: parts((Array.isArray(value) ? value : [value]).map((record) => ({ record }))) };
}
