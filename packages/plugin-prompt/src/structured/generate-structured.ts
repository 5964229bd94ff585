import { FerryError, formatPath, isFerryError, type ChatMessage, type GenerateInput, type GenerateOptions, type TextGenerator } from '@ferry/core';
import type { z } from 'zod';
import { extractJson } from './extract-json.js';
import { schemaInstructions } from './schema-instructions.js';

export interface GenerateStructuredOptions<S extends z.ZodType> {
  model: TextGenerator;
  prompt: GenerateInput;
  schema: S;
  /** Model calls in all, the first included. */
  maxAttempts?: number;
  options?: GenerateOptions;
}

export interface StructuredResult<T> {
  value: T;
  attempts: number;
  /** The text of the reply that validated. */
  raw: string;
  /** Repairs extractJson applied to that reply. */
  repaired: string[];
}

interface Problem {
  field: string;
  message: string;
}

/**
 * Asks the model for JSON matching `schema`, and when the reply does not
 * parse or validate, shows it its answer and the failing fields and asks
 * again, up to `maxAttempts` calls.
 */
export async function generateStructured<S extends z.ZodType>(request: GenerateStructuredOptions<S>): Promise<StructuredResult<z.output<S>>> {
  const { model, prompt, schema, options } = request;
  const maxAttempts = request.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new FerryError('INPUT_INVALID', `maxAttempts must be a positive integer, got ${maxAttempts}`, {
      field: 'maxAttempts',
      hint: 'Use 1 for no retries, or the default 3.',
    });
  }
  const messages = withInstructions(prompt, schemaInstructions(schema));
  let problems: Problem[] = [];
  let raw = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    raw = (await model.generate(messages, options)).text;
    problems = [];
    try {
      const { value, repaired } = extractJson(raw);
      const parsed = await schema.safeParseAsync(value);
      if (parsed.success) return { value: parsed.data, attempts: attempt, raw, repaired };
      problems = parsed.error.issues.map((issue) => ({ field: formatPath(issue.path) || '(root)', message: issue.message }));
    } catch (error) {
      if (!isFerryError(error, 'PROVIDER_BAD_RESPONSE')) throw error;
      // The model needs the problem, not the error code or the fix meant for developers.
      const message = (error.message.split('\n')[0] ?? '').replace(/^\[[A-Z_]+\] /, '');
      problems = [{ field: '(root)', message }];
    }
    messages.push({ role: 'assistant', content: raw }, { role: 'user', content: followUp(problems) });
  }
  const fields = [...new Set(problems.map((p) => p.field))];
  throw new FerryError(
    'PROVIDER_BAD_RESPONSE',
    `the model did not produce valid JSON for the schema in ${maxAttempts} attempt(s); last problems: ${problems.map(describe).join('; ')}`,
    {
      field: fields[0] === '(root)' ? undefined : fields[0],
      hint: `Fix the prompt or the schema for ${fields.join(', ')}, use a stronger model, or raise maxAttempts.`,
      details: { attempts: maxAttempts, fields, problems, raw, model: model.metadata.ref },
    },
  );
}

/** The instructions go at the end of the last user turn, where models weigh them most. */
function withInstructions(prompt: GenerateInput, instructions: string): ChatMessage[] {
  const messages: ChatMessage[] = typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : prompt.map((m) => ({ ...m }));
  const lastUser = messages.findLastIndex((m) => m.role === 'user');
  const target = messages[lastUser];
  if (target) target.content = `${target.content}\n\n${instructions}`;
  else messages.push({ role: 'user', content: instructions });
  return messages;
}

function followUp(problems: Problem[]): string {
  return [
    'Your previous answer (above) is not valid for the schema:',
    ...problems.map((p) => `- ${describe(p)}`),
    'Reply with only the corrected JSON, with no prose and no code fence.',
  ].join('\n');
}

function describe(problem: Problem): string {
  return `${problem.field}: ${problem.message}`;
}
