import { NO_ANSWER_TEXT, type ChatMessage } from '@ferry/core';

export interface PromptDocument {
  id: string;
  text: string;
  source: string;
}

/** Renders the question and numbered context into the messages a chat model answers. */
export type PromptBuilder = (question: string, documents: readonly PromptDocument[]) => ChatMessage[];

/**
 * The prompt used when @ferry/plugin-prompt is not installed: the same
 * contract as its `knowledge-base-answer` template (numbered context, `[n]`
 * citations, an exact no-answer sentence the pipeline recognises).
 */
export const defaultPrompt: PromptBuilder = (question, documents) => [
  {
    role: 'system',
    content: [
      'You answer questions using only the numbered context documents the user gives you.',
      'Cite each statement with the number of the document it comes from in square brackets, e.g. [1] or [2][3].',
      'Do not use outside knowledge and do not make up an answer.',
      'If the context does not contain the answer, reply with exactly this sentence and nothing else:',
      NO_ANSWER_TEXT,
    ].join('\n'),
  },
  {
    role: 'user',
    content: `Context:\n${documents.map((d, i) => `[${i + 1}] (${d.source}) ${d.text.trim()}`).join('\n')}\n\nQuestion: ${question}\nAnswer:`,
  },
];
