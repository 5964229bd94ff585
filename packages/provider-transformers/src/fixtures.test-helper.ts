import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@ferry/core';
import { z } from 'zod';

/** The repository's fixtures folder (models made by fixtures/<name>/make_*.py). */
export const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
export const TINY_BERT = `${FIXTURES}encoder/tiny-bert`;
export const TINY_NLI = `${FIXTURES}encoder/tiny-nli`;
export const TINY_CLIP = `${FIXTURES}clip/tiny-clip`;

const vector = z.array(z.number());

export const encoderReference = z
  .object({
    dims: z.number(),
    labels: z.array(z.string()),
    embeddings: z.array(z.object({ text: z.string(), input_ids: z.array(z.number()), mean: vector, cls: vector, meanUnnormalised: vector })),
    classification: z.array(z.object({ text: z.string(), input_ids: z.array(z.number()), probabilities: vector })),
    zeroShot: z.object({ text: z.string(), labels: z.array(z.string()), template: z.string(), scores: vector }),
  })
  .parse(JSON.parse(readFileSync(`${FIXTURES}encoder/reference.json`, 'utf8')));

export const clipReference = z
  .object({
    dims: z.number(),
    images: z.array(z.object({ file: z.string(), embedding: vector, pixelValuesHead: vector })),
    texts: z.array(z.object({ text: z.string(), input_ids: z.array(z.number()), embedding: vector })),
    resizedImage: z.string(),
  })
  .parse(JSON.parse(readFileSync(`${FIXTURES}clip/reference.json`, 'utf8')));

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

/** A logger that keeps what it was told, for asserting warnings. */
export function recordingLogger(): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  const at =
    (level: LogRecord['level']) =>
    (message: string, fields?: Record<string, unknown>): void =>
      void records.push({ level, message, ...(fields ? { fields } : {}) });
  return { records, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const TINY_GPT2 = `${FIXTURES}encoder/tiny-gpt2`;

export const decoderReference = z
  .object({
    maxNewTokens: z.number(),
    eosTokenId: z.number(),
    cases: z.array(
      z.object({
        prompt: z.string().optional(),
        messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant', 'tool']), content: z.string() })).optional(),
        renderedPrompt: z.string().optional(),
        promptIds: z.array(z.number()),
        greedyIds: z.array(z.number()),
      }),
    ),
  })
  .parse(JSON.parse(readFileSync(`${FIXTURES}encoder/decoder-reference.json`, 'utf8')));
