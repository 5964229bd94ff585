import { z } from 'zod';

/*
 * Options of one model reference (`models.chat.options` in the ferry config,
 * or `create(task, model, options)`). Strict, so a misspelt key is an error
 * rather than a silently ignored setting.
 */

const positiveInt = z.number().int().positive();

/** Any model may override the provider's time limit and retries (image generation is slow). */
const requestOverrides = {
  timeoutMs: positiveInt.optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
};

export const openAIChatOptionsSchema = z.strictObject({
  ...requestOverrides,
  streamIdleTimeoutMs: positiveInt.optional(),
  /** Context window, reported in metadata; the server enforces the real one. */
  contextLength: positiveInt.optional(),
  /** Defaults for every call; GenerateOptions override them. */
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: positiveInt.optional(),
  topP: z.number().gt(0).max(1).optional(),
  stop: z.array(z.string().min(1)).optional(),
  seed: z.number().int().optional(),
});

export const openAIEmbeddingOptionsSchema = z.strictObject({
  ...requestOverrides,
  contextLength: positiveInt.optional(),
  /** Expected vector size; learnt from the first reply when unset. */
  dims: positiveInt.optional(),
  /** Texts per request. */
  batchSize: positiveInt.max(2048).default(128),
});

export const openAIImageOptionsSchema = z.strictObject({
  ...requestOverrides,
  width: positiveInt.optional(),
  height: positiveInt.optional(),
});

export const openAISpeechToTextOptionsSchema = z.strictObject({
  ...requestOverrides,
  /** ISO-639-1 code; the server detects the language when unset. */
  language: z.string().min(2).optional(),
  /** `verbose_json` adds language and segments, where the server supports it. */
  responseFormat: z.enum(['json', 'verbose_json']).default('json'),
});

export type OpenAIChatOptions = z.input<typeof openAIChatOptionsSchema>;
export type OpenAIEmbeddingOptions = z.input<typeof openAIEmbeddingOptionsSchema>;
export type OpenAIImageOptions = z.input<typeof openAIImageOptionsSchema>;
export type OpenAISpeechToTextOptions = z.input<typeof openAISpeechToTextOptionsSchema>;
