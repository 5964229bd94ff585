import { z } from 'zod';
import { finetuneError } from '../finetune-error.js';
import type { Tokenizer } from './tokenizer.js';

/** Ids 0-2; the vocabulary's words follow. */
export const WORD_TOKENIZER_SPECIALS = ['<pad>', '</s>', '<unk>'] as const;

// Lower-cased words (with inner apostrophes), numbers (with separators and %), $cashtags, or any other single character.
const PIECES = /\$[a-z][a-z.]*|[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*%?|[^\s]/gu;

export const wordVocabularySchema = z
  .object({
    kind: z.literal('word'),
    /** Every token after the three specials, id = index + 3. */
    words: z.array(z.string().min(1)).min(1),
  })
  .strict();

export type WordVocabulary = z.infer<typeof wordVocabularySchema>;

export interface BuildWordVocabularyOptions {
  /** At most this many tokens in all, the three specials included. */
  maxSize: number;
  /** Keep only pieces seen at least this often; default 2. */
  minCount?: number;
  /** Always in the vocabulary (e.g. the label words), whatever their counts. */
  required?: readonly string[];
}

/** The pieces `WordTokenizer` splits text into: lower-cased words, numbers, $cashtags and single punctuation marks. */
export function wordPieces(text: string): string[] {
  return text.toLowerCase().match(PIECES) ?? [];
}

/**
 * A word-level vocabulary counted over `texts` (a training set): the
 * required words, then the most frequent pieces (ties in first-seen order)
 * down to `minCount`, capped at `maxSize`.
 */
export function buildWordVocabulary(texts: Iterable<string>, options: BuildWordVocabularyOptions): WordVocabulary {
  const room = options.maxSize - WORD_TOKENIZER_SPECIALS.length;
  if (!Number.isInteger(options.maxSize) || room < 1) {
    throw finetuneError('maxSize', `the vocabulary size must be an integer above ${WORD_TOKENIZER_SPECIALS.length}, got ${String(options.maxSize)}`, 'Use a few thousand for a corpus of tweets.');
  }
  const counts = new Map<string, number>();
  for (const text of texts) for (const piece of wordPieces(text)) counts.set(piece, (counts.get(piece) ?? 0) + 1);
  const required = [...new Set((options.required ?? []).flatMap((word) => wordPieces(word)))];
  const minCount = options.minCount ?? 2;
  const frequent = [...counts]
    .filter(([piece, count]) => count >= minCount && !required.includes(piece))
    .sort((a, b) => b[1] - a[1])
    .map(([piece]) => piece);
  const words = [...required, ...frequent].slice(0, room);
  if (words.length === 0) throw finetuneError('texts', 'no piece of the texts reaches minCount', 'Give more text, or lower minCount.');
  return { kind: 'word', words };
}

/**
 * A word-level tokenizer over a vocabulary built from the training texts
 * (`buildWordVocabulary`): for models trained from scratch, where bytes make
 * sequences five times longer. Unknown pieces map to `<unk>`, so decoding
 * gives the lower-cased pieces joined by spaces, not the original text.
 */
export class WordTokenizer implements Tokenizer {
  readonly padTokenId = 0;
  readonly eosTokenId = 1;
  readonly unkTokenId = 2;
  private readonly ids: Map<string, number>;
  private readonly words: readonly string[];

  constructor(vocabulary: unknown) {
    const parsed = wordVocabularySchema.safeParse(vocabulary);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw finetuneError(`vocabulary.${issue?.path.join('.') ?? ''}`, `invalid word vocabulary: ${issue?.message ?? ''}`, 'Pass what buildWordVocabulary returns (or its JSON).');
    }
    this.words = [...WORD_TOKENIZER_SPECIALS, ...parsed.data.words];
    this.ids = new Map(this.words.map((word, id) => [word, id]));
    if (this.ids.size !== this.words.length) throw finetuneError('vocabulary.words', 'the vocabulary lists a word twice (or a special token)', 'Rebuild it with buildWordVocabulary.');
  }

  get vocabSize(): number {
    return this.words.length;
  }

  /** What to save beside the model to tokenize the same way later. */
  get vocabulary(): WordVocabulary {
    return { kind: 'word', words: this.words.slice(WORD_TOKENIZER_SPECIALS.length) };
  }

  encode(text: string): number[] {
    return wordPieces(text).map((piece) => this.ids.get(piece) ?? this.unkTokenId);
  }

  decode(ids: readonly number[]): string {
    return ids
      .filter((id) => id !== this.padTokenId && id !== this.eosTokenId)
      .map((id) => this.words[id] ?? WORD_TOKENIZER_SPECIALS[2])
      .join(' ');
  }
}
