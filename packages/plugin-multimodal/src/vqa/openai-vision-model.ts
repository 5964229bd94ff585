import { FerryError, fromZodError, type GenerateOptions, type GenerationResult, type ImageInput, type ModelMetadata, type VisionLanguageModel } from '@ferry/core';
import { z } from 'zod';
import { encodeImage } from '../images/encode-image.js';
import type { LoadImageOptions } from '../images/load-image.js';

export const openAIVisionOptionsSchema = z.strictObject({
  model: z.string().min(1),
  baseUrl: z.url().default('https://api.openai.com/v1'),
  apiKey: z.string().optional(),
  timeoutMs: z.number().int().positive().default(60_000),
  /** Images are downscaled so their longest side is at most this before sending. */
  maxImageSide: z.number().int().positive().default(1024),
  /** `low` is cheaper; `auto` lets the server choose. */
  detail: z.enum(['low', 'high', 'auto']).default('auto'),
  systemPrompt: z.string().optional(),
});

export type OpenAIVisionOptions = z.input<typeof openAIVisionOptionsSchema>;

const replySchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }), finish_reason: z.string().nullable().optional() })).min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number().optional(), total_tokens: z.number() }).optional(),
});

/**
 * Visual QA through an OpenAI-compatible `/chat/completions` that accepts
 * image parts (OpenAI, vLLM, llama.cpp server, Ollama): the image goes
 * inline as a data URL, so the model sees pixels, not numbers in a prompt.
 */
export class OpenAIVisionModel implements VisionLanguageModel {
  readonly metadata: ModelMetadata;
  private readonly o: z.output<typeof openAIVisionOptionsSchema>;

  constructor(
    options: OpenAIVisionOptions,
    private readonly loadOptions: LoadImageOptions = {},
  ) {
    const parsed = openAIVisionOptionsSchema.safeParse(options);
    if (!parsed.success) throw fromZodError('CONFIG_INVALID', parsed.error, { what: 'OpenAI vision options', hint: 'Give at least a model name; baseUrl must be a URL.' });
    this.o = parsed.data;
    this.metadata = { provider: 'openai', model: this.o.model, ref: `openai:${this.o.model}`, task: 'vision-language', neural: true };
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
    const endpoint = `${this.o.baseUrl.replace(/\/$/, '')}/chat/completions`;
    const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(this.o.timeoutMs)]) : AbortSignal.timeout(this.o.timeoutMs);
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.o.apiKey ? { authorization: `Bearer ${this.o.apiKey}` } : {}) },
        body: JSON.stringify(body),
        signal,
      });
    } catch (cause) {
      const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
      throw new FerryError(timedOut ? 'PROVIDER_TIMEOUT' : 'PROVIDER_HTTP_ERROR', `${timedOut ? 'timed out calling' : 'could not reach'} ${endpoint}`, {
        hint: timedOut ? 'Raise timeoutMs or use a smaller image (maxImageSide).' : 'Check baseUrl and that the server is running.',
        cause,
      });
    }
    const text = await response.text();
    if (!response.ok) {
      throw new FerryError('PROVIDER_HTTP_ERROR', `${endpoint} returned HTTP ${response.status}: ${text.slice(0, 300)}`, {
        hint: response.status === 400 ? 'The model may not accept images; use a vision-capable model.' : 'Check the API key, the model name and the server logs.',
        details: { status: response.status },
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new FerryError('PROVIDER_BAD_RESPONSE', `${endpoint} did not return JSON`, { hint: 'Check that baseUrl points at an OpenAI-compatible API.', cause });
    }
    const reply = replySchema.safeParse(json);
    if (!reply.success) throw fromZodError('PROVIDER_BAD_RESPONSE', reply.error, { what: `reply from ${endpoint}`, hint: 'Check that baseUrl points at an OpenAI-compatible API.' });
    const choice = reply.data.choices[0];
    const usage = reply.data.usage;
    return {
      text: choice?.message.content ?? '',
      finishReason: choice?.finish_reason === 'length' ? 'length' : choice?.finish_reason === 'content_filter' ? 'content-filter' : 'stop',
      ...(usage ? { usage: { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens ?? usage.total_tokens - usage.prompt_tokens, totalTokens: usage.total_tokens } } : {}),
      model: this.metadata,
    };
  }
}
