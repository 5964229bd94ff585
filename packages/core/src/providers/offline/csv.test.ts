import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvRecords } from './csv.js';
import { loadBanking77, loadBanking77Labels } from '../../testing/shared-data.js';

describe('parseCsv', () => {
  it('reads CRLF rows, quoted commas, doubled quotes and line breaks inside quotes', () => {
    const text = 'text,category\r\n"Hi, there",greeting\r\n"She said ""no""",quote\r\n"\nline one\nline two",multi\r\nplain,last\r\n';
    expect(parseCsv(text)).toEqual([
      ['text', 'category'],
      ['Hi, there', 'greeting'],
      ['She said "no"', 'quote'],
      ['\nline one\nline two', 'multi'],
      ['plain', 'last'],
    ]);
  });

  it('keeps empty fields, accepts LF and a missing final newline, and skips a BOM', () => {
    expect(parseCsv('\uFEFFa,,c\nd,e,')).toEqual([
      ['a', '', 'c'],
      ['d', 'e', ''],
    ]);
  });

  it('rejects an unterminated quoted field', () => {
    expect(() => parseCsv('a,"open\n')).toThrow(/closing "/);
  });

  it('maps rows onto the header', () => {
    expect(parseCsvRecords('text,category\r\nhello,greet\r\n')).toEqual([{ text: 'hello', category: 'greet' }]);
  });

  it('reads BANKING77 exactly: 10,003 train and 3,080 test rows, two fields each', () => {
    const train = loadBanking77('train');
    const test = loadBanking77('test');
    expect(train).toHaveLength(10_003);
    expect(test).toHaveLength(3_080);
    const labels = new Set(loadBanking77Labels());
    expect(labels.size).toBe(77);
    expect(new Set(train.map((r) => r.label))).toEqual(labels);
    expect([...train, ...test].every((r) => r.text.trim() !== '' && labels.has(r.label))).toBe(true);
    // Rows whose quoted text spans several lines must stay one row.
    expect(train.some((r) => r.text.includes('\n'))).toBe(true);
  });
});
