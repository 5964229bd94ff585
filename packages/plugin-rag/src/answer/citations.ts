import type { Citation } from '@ferry/core';
import type { RetrievedChunk } from '../retrieval/retriever.js';
import type { AnswerSource } from './answer-types.js';
import { answerSource } from './source-label.js';

const MARKER = /\[(\d+(?:\s*,\s*\d+)*)\]/g;

/**
 * A generator that returns `citations` (the extractive answerer) numbers its
 * markers by that list; rewrites them to the context numbers, so every
 * answer's `[n]` means the n-th context chunk whatever the model.
 */
export function toContextNumbers(text: string, citations: readonly Citation[], context: readonly RetrievedChunk[]): string {
  const position = new Map(context.map((c, i) => [c.id, i + 1]));
  return text.replace(MARKER, (marker, list: string) => {
    const numbers = list.split(',').map((n) => position.get(citations[Number(n) - 1]?.documentId ?? ''));
    return numbers.every((n) => n !== undefined) ? `[${numbers.join(', ')}]` : marker;
  });
}

/** The context chunks the text cites, in order of first citation; markers outside 1..context.length are ignored. */
export function citedSources(text: string, context: readonly RetrievedChunk[]): AnswerSource[] {
  const seen = new Set<number>();
  for (const match of text.matchAll(MARKER)) {
    for (const part of (match[1] as string).split(',')) {
      const n = Number(part.trim());
      if (n >= 1 && n <= context.length) seen.add(n);
    }
  }
  return [...seen].map((n) => answerSource(n, context[n - 1] as RetrievedChunk));
}
