import type { z } from 'zod';
import type { PromptOutput, PromptTemplate, VariablesSchema } from '../templates/prompt-template.js';

export type PromptTask =
  | 'extraction'
  | 'summarization'
  | 'code-generation'
  | 'creative-writing'
  | 'diagnosis'
  | 'analysis'
  | 'classification'
  | 'question-answering';

export interface PromptExample<V extends VariablesSchema> {
  variables: z.input<V>;
  /** What a good model answers, verbatim; structured tasks answer JSON text. */
  sampleAnswer: string;
}

export interface PromptLibraryEntry<
  V extends VariablesSchema = VariablesSchema,
  R extends PromptOutput = PromptOutput,
  O extends z.ZodType | undefined = z.ZodType | undefined,
> {
  prompt: PromptTemplate<V, R, z.ZodType | undefined>;
  task: PromptTask;
  description: string;
  example: PromptExample<V>;
  /** Shape of the answer, for tasks with structured output (parse the JSON answer with it). */
  outputSchema?: O;
}

/**
 * Ties the example's variables to the prompt's schema at compile time, and
 * types `outputSchema` as present when the entry gives one.
 */
export function definePromptLibraryEntry<V extends VariablesSchema, R extends PromptOutput, O extends z.ZodType | undefined = undefined>(
  entry: PromptLibraryEntry<V, R, O>,
): PromptLibraryEntry<V, R, O> & { outputSchema: O } {
  return entry as PromptLibraryEntry<V, R, O> & { outputSchema: O };
}
