import { FerryError, fromZodError } from '@ferry/core';
import { z } from 'zod';

/** Anything with an `encode` that turns text into token ids: a model's tokenizer. */
export interface Tokenizer {
  encode(text: string): number[];
}

export type SplitStrategy = 'recursive' | 'markdown' | 'sentence' | 'token';

export interface SplitOptions {
  /**
   * How to choose cut points. Default: 'markdown' for md, html and docx
   * documents (their loaders keep headings as `#` lines), 'recursive' otherwise.
   */
  strategy?: SplitStrategy;
  /** Largest chunk, in UTF-16 code units, or in tokens when a tokenizer is given. Default 1000. */
  chunkSize?: number;
  /** How much of the previous chunk the next one repeats. Default min(200, chunkSize / 5). */
  chunkOverlap?: number;
  /** Makes sizes count tokens; required by the 'token' strategy. */
  tokenizer?: Tokenizer;
}

export interface ResolvedSplitOptions {
  strategy: SplitStrategy | undefined;
  chunkSize: number;
  chunkOverlap: number;
  tokenizer: Tokenizer | undefined;
}

const isTokenizer = (value: unknown): value is Tokenizer =>
  typeof value === 'object' && value !== null && typeof (value as { encode?: unknown }).encode === 'function';

const splitOptionsSchema = z
  .object({
    strategy: z.enum(['recursive', 'markdown', 'sentence', 'token']).optional(),
    chunkSize: z.number().int().positive().optional(),
    chunkOverlap: z.number().int().nonnegative().optional(),
    tokenizer: z.custom<Tokenizer>(isTokenizer, { message: 'must be an object with an encode(text) method' }).optional(),
  })
  .strict();

export function resolveSplitOptions(options: SplitOptions | undefined): ResolvedSplitOptions {
  const parsed = splitOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what: 'Split options', fieldPrefix: 'split' });
  const { strategy, tokenizer } = parsed.data;
  const chunkSize = parsed.data.chunkSize ?? 1000;
  const chunkOverlap = parsed.data.chunkOverlap ?? Math.min(200, Math.floor(chunkSize / 5));
  if (chunkOverlap >= chunkSize) {
    throw new FerryError('INPUT_INVALID', `chunkOverlap (${chunkOverlap}) must be smaller than chunkSize (${chunkSize})`, {
      field: 'split.chunkOverlap',
      hint: `Set chunkOverlap below ${chunkSize}; a fifth of chunkSize is a good start.`,
    });
  }
  if (strategy === 'token' && tokenizer === undefined) {
    throw new FerryError('INPUT_INVALID', "the 'token' strategy needs a tokenizer to count tokens", {
      field: 'split.tokenizer',
      hint: "Pass the embedding model's tokenizer ({ encode(text): number[] }), or use the 'recursive' strategy.",
    });
  }
  return { strategy, chunkSize, chunkOverlap, tokenizer };
}
