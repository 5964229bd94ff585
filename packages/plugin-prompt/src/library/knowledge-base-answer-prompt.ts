import { z } from 'zod';
import { definePrompt } from '../templates/prompt-template.js';
import { definePromptLibraryEntry } from './library-entry.js';

/** The exact sentence the model must answer when the context lacks the answer; apps match on it to hand off. */
export const NO_ANSWER_SENTENCE = "I don't know based on the provided documents.";

export const knowledgeBaseAnswerPrompt = definePromptLibraryEntry({
  task: 'question-answering',
  description: `Answer a question from numbered context documents with [n] citations, or exactly "${NO_ANSWER_SENTENCE}" when they lack the answer.`,
  prompt: definePrompt({
    name: 'knowledge-base-answer',
    description: 'Grounded answer with [n] citations and an exact no-answer sentence',
    variables: z.object({
      context: z
        .array(z.object({ id: z.string().optional(), text: z.string().min(1), source: z.string().optional() }))
        .min(1),
      question: z.string().min(1),
      noAnswer: z.string().min(1).default(NO_ANSWER_SENTENCE),
    }),
    settings: { temperature: 0 },
    messages: [
      {
        role: 'system',
        template: `You answer questions using only the numbered context documents the user gives you.
Cite each statement with the number of the document it comes from in square brackets, e.g. [1] or [2][3].
Do not use outside knowledge and do not make up an answer.
If the context does not contain the answer, reply with exactly this sentence and nothing else:
{{noAnswer}}`,
      },
      {
        role: 'user',
        template: `Context:
{{#each context}}
[{{inc @index}}]{{#if source}} ({{source}}){{/if}} {{text}}
{{/each}}

Question: {{question}}
Answer:`,
      },
    ],
  }),
  example: {
    variables: {
      context: [
        { id: 'handbook.md#3', source: 'handbook.md', text: 'Employees may work remotely up to three days per week with manager approval.' },
        { id: 'handbook.md#4', source: 'handbook.md', text: 'Remote work from abroad requires approval from HR at least 30 days in advance.' },
      ],
      question: "What is the company's policy on remote work?",
    },
    sampleAnswer:
      'Employees may work remotely up to three days per week with manager approval [1]; working remotely from abroad needs HR approval at least 30 days in advance [2].',
  },
});
