import { z } from 'zod';

/*
 * The parts of OpenAI-format replies Ferry reads. Objects are loose and most
 * fields optional because vLLM, Ollama and llama.cpp each add or omit a few;
 * what is required is what an answer cannot do without.
 */

const usageSchema = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative().optional(),
  total_tokens: z.number().int().nonnegative(),
});

export const chatCompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        // null when the model answered with tool calls or a refusal only.
        message: z.object({ content: z.string().nullish() }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: usageSchema.nullish(),
});

export const chatCompletionChunkSchema = z.object({
  // Empty in usage-only and Azure prompt-filter chunks.
  choices: z.array(
    z.object({
      delta: z.object({ content: z.string().nullish() }).nullish(),
      finish_reason: z.string().nullish(),
    }),
  ),
});

export const embeddingsSchema = z.object({
  data: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      embedding: z.array(z.number()).min(1),
    }),
  ),
});

export const imagesSchema = z.object({
  data: z
    .array(
      z.object({
        b64_json: z.base64({ error: 'expected base64 image bytes (the server must support response_format "b64_json")' }),
        revised_prompt: z.string().nullish(),
      }),
    )
    .min(1),
});

export const transcriptionSchema = z.object({
  text: z.string(),
  language: z.string().optional(),
  segments: z.array(z.object({ start: z.number(), end: z.number(), text: z.string() })).optional(),
});
