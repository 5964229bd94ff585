import {
  chatCompletionSchema,
  DEFAULT_OPENAI_BASE_URL,
  fromZodError,
  OpenAIClient,
  openAIProviderConfigSchema,
  toFinishReason,
  type GenerateOptions,
  type GenerationResult,
  type ImageInput,
  type ModelMetadata,
  type VisionLanguageModel,
} from '@ferry/core';
import { z } from 'zod';
import { encodeImage } from '../images/encode-image.js';
import type { LoadImageOptions } from '../images/load-image.js';
import { visionError } from './openai-vision-errors.js';

// The openai provider's defaults, for the client settings this model has no option of its own for (backoff, headers).
const PROVIDER_DEFAULTS = openAIProviderConfigSchema.parse({});

export const openAIVisionOptionsSchema = z.strictObject({
  model: z.string().min(1),
  baseUrl: z.url().default(DEFAULT_OPENAI_BASE_URL),
  apiKey: z.string().optional(),
  /** Per attempt. */
  timeoutMs: z.number().int().positive().default(60_000),
  /** Retries after the first attempt, on 429, 5xx, timeouts and network errors. */
  maxRetries: z.number().int().min(0).max(10).default(PROVIDER_DEFAULTS.maxRetries),
  /** Images are downscaled so their longest side is at most this before sending. */
  maxImageSide: z.number().int().positive().default(1024),
  /** `low` is cheaper; `auto` lets the server choose. */
  detail: z.enum(['low', 'high', 'auto']).default('auto'),
  systemPrompt: z.string().optional(),
});

export type OpenAIVisionOptions = z.input<typeof openAIVisionOptionsSchema>;

/**
 * Visual QA through an OpenAI-compatible `/chat/completions` that accepts
 * image parts (OpenAI, vLLM, llama.cpp server, Ollama): the image goes
 * inline as a data URL, so the model sees pixels, not numbers in a prompt.
 */
export class OpenAIVisionModel implements VisionLanguageModel {
  readonly metadata: ModelMetadata;
  private readonly o: z.output<typeof openAIVisionOptionsSchema>;
  private readonly client: OpenAIClient;

  constructor(
    options: OpenAIVisionOptions,
    private readonly loadOptions: LoadImageOptions = {},
  ) {
    const parsed = openAIVisionOptionsSchema.safeParse(options);
    if (!parsed.success) throw fromZodError('CONFIG_INVALID', parsed.error, { what: 'OpenAI vision options', hint: 'Give at least a model name; baseUrl must be a URL.' });
    this.o = parsed.data;
    this.metadata = { provider: 'openai', model: this.o.model, ref: `openai:${this.o.model}`, task: 'vision-language', neural: true };
    this.client = new OpenAIClient({
      ...PROVIDER_DEFAULTS,
      baseURL: this.o.baseUrl,
      apiKey: this.o.apiKey,
      organization: undefined,
      timeoutMs: this.o.timeoutMs,
      maxRetries: this.o.maxRetries,
    });
  }

  async answer(image: ImageInput, question: string, options: GenerateOptions = {}): Promise<GenerationResult> {
    const encoded = await encodeImage(image, { ...this.loadOptions, maxSide: this.o.maxImageSide });
    const dataUrl = `data:${encoded.mimeType};base64,${encoded.data.toString('base64')}`;
    const body = {
      model: this.o.model,
      messages: [
        ...(this.o.systemPrompt ? [{ role: 'system', content: this.o.systemPrompt }] : []),
        { role: 'user', content: [{ type: 'text', text: question }, { type: 'image_url', image_url: { url: dataUrl, detail: this.o.detail } }] },
      ],
      max_tokens: options.maxTokens,
      temperature: options.temperature,
      seed: options.seed,
    };
    const reply = await this.client.postJson('/chat/completions', body, chatCompletionSchema, options.signal).catch((error: unknown) => {
      throw visionError(error, this.o);
    });
    const [choice] = reply.choices;
    const usage = reply.usage;
    return {
      text: choice?.message.content ?? '',
      finishReason: toFinishReason(choice?.finish_reason),
      ...(usage ? { usage: { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens ?? usage.total_tokens - usage.prompt_tokens, totalTokens: usage.total_tokens } } : {}),
      model: this.metadata,
    };
  }
}
