import { finetuneError } from '../finetune-error.js';

export interface CsvRecord {
  /** 1-based line of the file where the record starts (the header is line 1). */
  line: number;
  values: string[];
}

/**
 * RFC 4180 CSV: comma-separated, fields optionally double-quoted, `""` an
 * escaped quote, quoted fields may hold commas and newlines, CRLF or LF line
 * ends. Blank lines are skipped.
 */
export function parseCsv(text: string, source = 'csv'): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    const start = line;
    const values: string[] = [];
    let field = '';
    let ended = false;
    while (!ended) {
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) {
            throw finetuneError(`${source}:${start}`, `${source} line ${start}: a quoted field is never closed`, 'Close the quote, or escape a quote inside a field as "".');
          }
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
      }
      while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      values.push(field);
      field = '';
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      ended = true;
    }
    if (!(values.length === 1 && values[0] === '')) records.push({ line: start, values });
  }
  return records;
}
