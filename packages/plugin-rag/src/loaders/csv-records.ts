import { loadError } from './load-error.js';

export interface CsvRecord {
  cells: string[];
  /** 1-based line where the record starts. */
  line: number;
}

/** The delimiter of the header line: the most frequent of , ; and tab outside quotes. */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === '\n') break;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  const [best, count] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  return count > 0 ? best : ',';
}

/** RFC 4180 records: quoted cells may hold delimiters, newlines and doubled quotes. Blank lines are skipped. */
export function parseCsv(text: string, delimiter: string, source: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let cellStarted = false;
  const endRecord = (): void => {
    cells.push(cell);
    if (cells.length > 1 || cells[0] !== '') records.push({ cells, line: recordLine });
    cells = [];
    cell = '';
    cellStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (char === '\n') line++;
        cell += char;
      }
      continue;
    }
    if (char === '"' && !cellStarted) {
      quoted = true;
      quoteLine = line;
      cellStarted = true;
    } else if (char === delimiter) {
      cells.push(cell);
      cell = '';
      cellStarted = false;
    } else if (char === '\n') {
      endRecord();
      line++;
      recordLine = line;
    } else {
      cell += char;
      cellStarted = true;
    }
  }
  if (quoted) {
    throw loadError(source, 'malformed', `a quoted CSV field opened on line ${quoteLine} is never closed`, `Close the quote on line ${quoteLine} (a quote inside a field is written "").`);
  }
  if (cell !== '' || cells.length > 0) endRecord();
  return records;
}
