import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { padBatch, packExamples } from './batching.js';
import { parseCsv } from './csv.js';
import { createLabelMap, FINANCE_SENTIMENT_LABELS } from './label-map.js';
import { formatExample, promptFormatSchema } from './prompt-format.js';
import { parseDataset, readDataset } from './read-dataset.js';
import { stratifiedSplit } from './stratified-split.js';
import { ByteTokenizer, type ChatMessage, type Tokenizer } from './tokenizer.js';
import { buildTrainingExample, IGNORE_INDEX } from './training-example.js';

const SENT_TRAIN = '/work/shared/data/finance-sentiment/sent_train.csv';
const labelMap = createLabelMap(FINANCE_SENTIMENT_LABELS);
const rowSchema = z.object({ text: z.string().trim().min(1), label: labelMap.schema });

describe('datasets on the real finance-sentiment training set', () => {
  it('reads all 9,543 rows (quoted fields, CRLF) with the label counts of SOURCE.md', async () => {
    const data = await readDataset(SENT_TRAIN, { schema: rowSchema });
    expect(data.rows).toHaveLength(9543);
    expect(data.skipped).toHaveLength(0);
    const counts = Object.fromEntries(labelMap.labels.map((l) => [l, data.rows.filter((r) => r.value.label === l).length]));
    expect(counts).toEqual({ negative: 1442, positive: 1923, neutral: 6178 });
    expect(data.rows[0]).toEqual({ line: 2, value: { text: '$BYND - JPMorgan reels in expectations on Beyond Meat https://t.co/bd0xbFGjkT', label: 'negative' } });
    expect(data.rows[2]!.value.text).toBe('$CX - Cemex cut at Credit Suisse, J.P. Morgan on weak building outlook https://t.co/KN1g4AWFIb');

    const { train, validation } = stratifiedSplit(data.rows, (r) => r.value.label, { validationFraction: 0.1, seed: 42 });
    expect(train.length + validation.length).toBe(9543);
    const share = (rows: typeof train, label: string): number => rows.filter((r) => r.value.label === label).length / rows.length;
    for (const label of labelMap.labels) expect(Math.abs(share(validation, label) - share(train, label))).toBeLessThan(0.002);
    expect(stratifiedSplit(data.rows, (r) => r.value.label, { validationFraction: 0.1, seed: 42 }).validation.map((r) => r.line)).toEqual(validation.map((r) => r.line));
    expect(stratifiedSplit(data.rows, (r) => r.value.label, { validationFraction: 0.1, seed: 7 }).validation.map((r) => r.line)).not.toEqual(validation.map((r) => r.line));

    const tokenizer = new ByteTokenizer();
    const format = promptFormatSchema.parse({ kind: 'instruction', instruction: 'Classify the sentiment of the financial tweet as negative, positive or neutral.' });
    const examples = train.slice(0, 8).map((r) => buildTrainingExample(formatExample(tokenizer, format, r.value.text, r.value.label), 512));
    const first = examples[0]!;
    const answerStart = first.labels.findIndex((l) => l !== IGNORE_INDEX);
    expect(tokenizer.decode(first.inputIds.slice(0, answerStart))).toMatch(/### Input:\n\$BYND .*\n\n### Response:\n$/s);
    expect(tokenizer.decode(first.labels.slice(answerStart))).toBe('negative');
    expect(first.labels[first.labels.length - 1]).toBe(tokenizer.eosTokenId);

    const batch = padBatch(examples, { padTokenId: tokenizer.padTokenId, padToMultipleOf: 8 });
    const width = batch.inputIds.shape[1]!;
    expect(width % 8).toBe(0);
    expect(batch.lossTokens).toBe(examples.reduce((s, e) => s + e.labels.filter((l) => l !== IGNORE_INDEX).length, 0));
    const row0 = [...batch.attentionMask.data.slice(0, width)];
    expect(row0.filter((m) => m === 1)).toHaveLength(first.inputIds.length);
    expect(batch.labels.data[width - 1]).toBe(first.inputIds.length === width ? first.labels[width - 1] : IGNORE_INDEX);

    const packed = packExamples(examples, 128);
    expect(packed.inputIds.shape).toEqual([Math.floor(examples.reduce((s, e) => s + e.inputIds.length, 0) / 128), 128]);
    expect([...packed.inputIds.data.slice(0, first.inputIds.length)]).toEqual(first.inputIds);
  });
});

describe('bad rows', () => {
  const csv = 'text,label\r\ngood one,1\r\n,2\r\n"multi\nline, quoted ""tweet""",0\r\nbad label,7\r\ntoo,many,columns\r\n';

  it('fail with the line number and field', () => {
    expect(() => parseDataset(csv, { schema: rowSchema, format: 'csv', source: 'tweets.csv' })).toThrow(/tweets\.csv line 3, field "text"/);
    try {
      parseDataset(csv, { schema: rowSchema, format: 'csv', source: 'tweets.csv' });
    } catch (error) {
      expect(error).toMatchObject({ field: 'tweets.csv:3.text', details: { line: 3, field: 'text' } });
    }
  });

  it('are skipped and counted with skipBadRows, lines counted across quoted newlines', () => {
    const data = parseDataset(csv, { schema: rowSchema, format: 'csv', source: 'tweets.csv', skipBadRows: true });
    expect(data.rows.map((r) => [r.line, r.value.label])).toEqual([
      [2, 'positive'],
      [4, 'negative'],
    ]);
    expect(data.rows[1]!.value.text).toBe('multi\nline, quoted "tweet"');
    expect(data.skipped.map((s) => [s.line, s.field])).toEqual([
      [3, 'text'],
      [6, 'label'],
      [7, '(columns)'],
    ]);
    expect(data.skipped[1]!.message).toMatch(/unknown label value "7".*0, 1, 2/s);
  });

  it('in JSONL, including invalid JSON', () => {
    const jsonl = '{"text":"up","label":"1"}\n{"text":"x"\n\n{"text":"down","label":5}\n';
    const data = parseDataset(jsonl, { schema: rowSchema, format: 'jsonl', skipBadRows: true });
    expect(data.rows.map((r) => r.line)).toEqual([1]);
    expect(data.skipped.map((s) => [s.line, s.field])).toEqual([
      [2, '(json)'],
      [4, 'label'],
    ]);
  });

  it('an unclosed quote names its line', () => {
    expect(() => parseCsv('a,b\n"open,1\n', 'f.csv')).toThrow(/f\.csv line 2: a quoted field is never closed/);
  });
});

describe('prompt formats', () => {
  /** A toy chat template in the style of Llama-2's [INST] ... [/INST] answer </s>, over bytes. */
  class ChatByteTokenizer extends ByteTokenizer implements Tokenizer {
    applyChatTemplate(messages: readonly ChatMessage[], options: { addGenerationPrompt: boolean }): number[] {
      let text = '';
      for (const m of messages) text += m.role === 'assistant' ? ` ${m.content}` : `[${m.role}] ${m.content} `;
      const ids = this.encode(options.addGenerationPrompt ? `${text}[/INST]` : text.replace(/ (?=[^ ]*$)/, '[/INST] '));
      return messages[messages.length - 1]?.role === 'assistant' ? [...ids, this.eosTokenId] : ids;
    }
  }

  it('uses the tokenizer chat template and trains only on the assistant turn', () => {
    const tokenizer = new ChatByteTokenizer();
    const format = promptFormatSchema.parse({ kind: 'chat', system: 'Be brief.', instruction: 'Sentiment?' });
    const example = formatExample(tokenizer, format, 'Stocks rally', 'positive');
    expect(tokenizer.decode(example.promptIds)).toBe('[system] Be brief. [user] Sentiment?\n\nStocks rally [/INST]');
    expect(tokenizer.decode(example.responseIds)).toBe(' positive');
    expect(example.responseIds[example.responseIds.length - 1]).toBe(tokenizer.eosTokenId);
    expect(() => formatExample(new ByteTokenizer(), format, 'x', 'y')).toThrow(/chat template/);
  });

  it('truncates the prompt from the start to fit maxLength', () => {
    const example = buildTrainingExample({ promptIds: [1, 2, 3, 4, 5], responseIds: [9, 10] }, 5);
    expect(example).toEqual({ inputIds: [3, 4, 5, 9, 10], labels: [IGNORE_INDEX, IGNORE_INDEX, IGNORE_INDEX, 9, 10] });
  });
});
