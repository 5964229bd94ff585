import { readFile } from 'node:fs/promises';
import { FerryError, fromZodError } from '@ferry/core';
import { z } from 'zod';

/**
 * One evaluation question. `relevant` names the chunks that hold the answer,
 * by chunk id (`guide.md#3`) or by source (`guide.md`, any of its chunks);
 * `answers` are strings a correct answer contains; `unanswerable` marks
 * questions the knowledge base cannot answer (the right reply is "I don't know").
 */
export const qaItemSchema = z
  .strictObject({
    id: z.string().optional(),
    question: z.string().trim().min(1, 'the question is empty'),
    relevant: z.array(z.string().min(1)).optional(),
    answers: z.array(z.string().min(1)).optional(),
    /** Shorthand for answers: [answer]. */
    answer: z.string().min(1).optional(),
    unanswerable: z.boolean().default(false),
  })
  .refine((q) => q.unanswerable || (q.relevant?.length ?? 0) > 0 || q.answers !== undefined || q.answer !== undefined, {
    message: 'give relevant chunk ids or sources, answers, or unanswerable: true',
    path: ['relevant'],
  });

export type QaItemInput = z.input<typeof qaItemSchema>;
export interface QaItem {
  id?: string;
  question: string;
  relevant: string[];
  answers: string[];
  unanswerable: boolean;
}

export function parseQaItems(rows: readonly unknown[], where = 'qa'): QaItem[] {
  return rows.map((row, i) => {
    const parsed = qaItemSchema.safeParse(row);
    if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what: `${where} item ${i + 1}`, fieldPrefix: `[${i}]` });
    const { id, question, relevant, answers, answer, unanswerable } = parsed.data;
    return { ...(id === undefined ? {} : { id }), question, relevant: relevant ?? [], answers: [...(answers ?? []), ...(answer === undefined ? [] : [answer])], unanswerable };
  });
}

/** Reads a .jsonl file (one question object a line) or a .json array of them. */
export async function loadQaFile(path: string): Promise<QaItem[]> {
  const text = await readFile(path, 'utf8').catch((cause: unknown) => {
    throw new FerryError('INPUT_INVALID', `cannot read ${path}: ${(cause as Error).message}`, { field: 'path', hint: 'Pass a .jsonl file with one {"question", "relevant", "answers"} object a line.', cause });
  });
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      return parseQaItems(JSON.parse(trimmed) as unknown[], path);
    } catch (cause) {
      if (cause instanceof FerryError) throw cause;
      throw new FerryError('INPUT_INVALID', `${path} is not a valid JSON array`, { field: 'path', hint: 'Fix the JSON, or write one object a line (.jsonl).', cause });
    }
  }
  const rows = trimmed.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as unknown];
    } catch (cause) {
      throw new FerryError('INPUT_INVALID', `${path} line ${i + 1} is not valid JSON`, { field: `line ${i + 1}`, hint: 'Write one JSON object a line, e.g. {"question": "...", "relevant": ["guide.md"], "answers": ["..."]}.', cause });
    }
  });
  return parseQaItems(rows, path);
}
