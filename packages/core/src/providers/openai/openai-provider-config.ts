import { z } from 'zod';
import { FerryError, fromZodError } from '../../errors/ferry-error.js';

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

const httpURL = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://localhost:8000/v1' });
const milliseconds = z.number().int().positive();

/** `providers.openai` in the ferry config. */
export const openAIProviderConfigSchema = z.strictObject({
  /** Default: `OPENAI_BASE_URL`, else the OpenAI API. */
  baseURL: httpURL.optional(),
  /** Default: `OPENAI_API_KEY`. Local servers (vLLM, Ollama, llama.cpp) usually need none. */
  apiKey: z.string().optional(),
  organization: z.string().min(1).optional(),
  /** Sent with every request, after the defaults, so they can replace them (e.g. Azure's `api-key`). */
  headers: z.record(z.string(), z.string()).default({}),
  /** Per attempt: until the whole reply (or, for streams, its headers) has arrived. */
  timeoutMs: milliseconds.default(60_000),
  /** Longest silence between two chunks of a stream; default: timeoutMs. */
  streamIdleTimeoutMs: milliseconds.optional(),
  /** Retries after the first attempt, on 429, 5xx, timeouts and network errors. */
  maxRetries: z.number().int().min(0).max(10).default(3),
  /** First backoff wait; doubles each retry, half of it jittered. */
  retryBaseDelayMs: z.number().int().min(0).default(500),
  /** Cap on any wait; a `Retry-After` longer than this ends the retries at once. */
  maxRetryDelayMs: z.number().int().min(0).default(20_000),
});

export type OpenAIProviderConfig = z.input<typeof openAIProviderConfigSchema>;

/** Everything the HTTP client needs, environment applied and defaults filled. */
export interface OpenAIClientSettings {
  baseURL: string;
  apiKey: string | undefined;
  organization: string | undefined;
  headers: Record<string, string>;
  timeoutMs: number;
  streamIdleTimeoutMs?: number | undefined;
  maxRetries: number;
  retryBaseDelayMs: number;
  maxRetryDelayMs: number;
}

export function resolveOpenAIConfig(config: unknown, env: NodeJS.ProcessEnv): OpenAIClientSettings {
  const parsed = openAIProviderConfigSchema.safeParse(config ?? {});
  if (!parsed.success) {
    throw fromZodError('CONFIG_INVALID', parsed.error, { what: 'the openai provider config', fieldPrefix: 'providers.openai' });
  }
  const { baseURL, apiKey, organization, ...rest } = parsed.data;
  return {
    ...rest,
    baseURL: baseURL ?? envBaseURL(env) ?? DEFAULT_OPENAI_BASE_URL,
    // An empty key (`OPENAI_API_KEY=` in a .env template) means none, not "Bearer ".
    apiKey: apiKey || env['OPENAI_API_KEY'] || undefined,
    organization: organization ?? (env['OPENAI_ORG_ID'] || undefined),
  };
}

function envBaseURL(env: NodeJS.ProcessEnv): string | undefined {
  const value = env['OPENAI_BASE_URL'];
  if (!value) return undefined;
  if (!httpURL.safeParse(value).success) {
    throw new FerryError('CONFIG_INVALID', `the environment variable OPENAI_BASE_URL is not an http(s) URL: "${value}"`, {
      field: 'OPENAI_BASE_URL',
      hint: 'Set OPENAI_BASE_URL to the API root of the server, e.g. http://localhost:8000/v1, or set providers.openai.baseURL instead.',
    });
  }
  return value;
}
