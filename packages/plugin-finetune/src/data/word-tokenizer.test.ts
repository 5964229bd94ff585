import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FerryError } from '@ferry/core';
import { createLabelMap, FINANCE_SENTIMENT_LABELS } from './label-map.js';
import { formatExample } from './prompt-format.js';
import { readDataset } from './read-dataset.js';
import { buildWordVocabulary, WordTokenizer, wordPieces } from './word-tokenizer.js';

const SENT_TRAIN = '/work/shared/data/finance-sentiment/sent_train.csv';

describe('WordTokenizer', () => {
  it('splits lower-cased words, numbers, $cashtags and punctuation', () => {
    expect(wordPieces("$CCL $RCL - Nomura points to bookings' weakness, down 4.5% at Carnival's")).toEqual([
      '$ccl', '$rcl', '-', 'nomura', 'points', 'to', 'bookings', "'", 'weakness', ',', 'down', '4.5%', 'at', "carnival's",
    ]);
  });

  it('builds a vocabulary by frequency with the required words first, and maps the rest to <unk>', () => {
    const vocabulary = buildWordVocabulary(['stocks up', 'stocks down', 'stocks up again', 'rare'], { maxSize: 6, required: ['neutral'] });
    expect(vocabulary.words).toEqual(['neutral', 'stocks', 'up']);
    const tokenizer = new WordTokenizer(JSON.parse(JSON.stringify(vocabulary)));
    expect(tokenizer.vocabSize).toBe(6);
    expect(tokenizer.encode('Stocks UP, neutral!')).toEqual([4, 5, 2, 3, 2]);
    expect(tokenizer.decode([4, 5, 2, 1, 0])).toBe('stocks up <unk>');
  });

  it('covers the finance-sentiment training texts with a 4,096-token vocabulary, each label one token', async () => {
    const labels = createLabelMap(FINANCE_SENTIMENT_LABELS);
    const data = await readDataset(SENT_TRAIN, { schema: z.object({ text: z.string().min(1), label: labels.schema }) });
    const texts = data.rows.map((r) => r.value.text);
    const tokenizer = new WordTokenizer(buildWordVocabulary(texts, { maxSize: 4096, required: labels.labels }));
    const ids = texts.flatMap((t) => tokenizer.encode(t));
    const unknown = ids.filter((id) => id === tokenizer.unkTokenId).length / ids.length;
    expect(unknown).toBeLessThan(0.15); // mostly link pieces and one-off numbers
    expect(ids.length / texts.length).toBeLessThan(30);
    for (const label of labels.labels) {
      const { responseIds } = formatExample(tokenizer, { kind: 'instruction', instruction: 'sentiment', template: '{input} =>' }, 'shares fell', label);
      expect(responseIds).toEqual([tokenizer.encode(label)[0], tokenizer.eosTokenId]);
      expect(tokenizer.encode(label)[0]).not.toBe(tokenizer.unkTokenId);
    }
  });

  it('rejects a bad vocabulary and a size with no room', () => {
    expect(() => new WordTokenizer({ kind: 'word', words: [] })).toThrow(FerryError);
    expect(() => new WordTokenizer({ kind: 'word', words: ['a', 'a'] })).toThrow(/twice/);
    expect(() => buildWordVocabulary(['a a'], { maxSize: 3 })).toThrow(/above 3/);
  });
});
