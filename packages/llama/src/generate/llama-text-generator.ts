import {
  fromZodError,
  groundedMessages,
  plainChatPrompt,
  type GenerateInput,
  type GenerateOptions,
  type GenerationResult,
  type ModelMetadata,
  type TextGenerator,
  type TokenUsage,
} from '@ferry/core';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { z } from 'zod';
import { modelForAdapter, type LlamaAdapters } from '../adapters/llama-adapters.js';
import type { LlamaModel } from '../nn/llama-model.js';
import { generateTokens } from './generate-tokens.js';
import { StopSequenceFilter } from './stop-sequences.js';

/** The sampling knobs; the provider's per-model options set defaults, each call may override them. */
export const llamaSamplingSchema = z.strictObject({
  maxTokens: z.number().int().min(1).optional(),
  temperature: z.number().min(0).optional(),
  topK: z.number().int().min(0).optional(),
  topP: z.number().gt(0).max(1).optional(),
  repetitionPenalty: z.number().positive().optional(),
  stop: z.array(z.string().min(1)).optional(),
  seed: z.number().int().optional(),
});

export type LlamaSamplingOptions = z.input<typeof llamaSamplingSchema>;

/** The sampling knobs plus the LoRA adapter to generate with (absent: the base model). */
export const llamaTextOptionsSchema = llamaSamplingSchema.extend({
  adapter: z.string().min(1).optional(),
});
export type LlamaTextOptions = z.input<typeof llamaTextOptionsSchema>;

/** GenerateOptions plus the Llama sampler's top-k and repetition penalty. */
export interface LlamaGenerateOptions extends GenerateOptions {
  topK?: number;
  repetitionPenalty?: number;
  /** A LoRA adapter served with this model (see `LlamaAdapters`); absent: the base model. */
  adapter?: string;
}

interface Summary {
  text: string;
  finishReason: 'stop' | 'length';
  usage: TokenUsage;
}

/**
 * `TextGenerator` over a LlamaModel and its tokenizer. A plain string is
 * continued as is (with BOS); chat messages, or a string with grounding
 * documents, go through the tokenizer's chat template. With `adapters`, each
 * call may name one (or the defaults do); the call runs on that adapter's
 * model from start to end, whatever other calls choose meanwhile.
 */
export class LlamaTextGenerator implements TextGenerator {
  constructor(
    readonly model: LlamaModel,
    readonly tokenizer: PreTrainedTokenizer,
    readonly metadata: ModelMetadata,
    private readonly defaults: LlamaTextOptions = {},
    readonly adapters?: LlamaAdapters,
  ) {}

  async generate(input: GenerateInput, options: LlamaGenerateOptions = {}): Promise<GenerationResult> {
    const run = this.run(input, options);
    let step = await run.next();
    while (!step.done) step = await run.next();
    return { ...step.value, model: this.metadata };
  }

  async *stream(input: GenerateInput, options: LlamaGenerateOptions = {}): AsyncIterable<string> {
    yield* this.run(input, options);
  }

  /** Prompt token ids for `input`, as `generate` builds them. */
  encode(input: GenerateInput, documents: LlamaGenerateOptions['documents'] = []): number[] {
    if (typeof input === 'string' && documents.length === 0) return this.tokenizer.encode(input);
    const messages = groundedMessages(input, documents);
    if (!this.tokenizer.chat_template) return this.tokenizer.encode(plainChatPrompt(messages));
    const prompt = this.tokenizer.apply_chat_template(messages, { add_generation_prompt: true, tokenize: false }) as string;
    // The template writes BOS itself.
    return this.tokenizer.encode(prompt, { add_special_tokens: false });
  }

  private async *run(input: GenerateInput, options: LlamaGenerateOptions): AsyncGenerator<string, Summary> {
    const { signal, documents, ...rest } = options;
    const parsed = llamaTextOptionsSchema.safeParse({ ...this.defaults, ...withoutUndefined(rest) });
    if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what: `options of ${this.metadata.ref}`, fieldPrefix: 'options' });
    const { adapter, ...settings } = parsed.data;
    const model = await modelForAdapter(this.model, this.adapters, adapter);
    const promptIds = this.encode(input, documents);
    const stops = new StopSequenceFilter(settings.stop ?? []);
    const tokens = generateTokens(model, promptIds, {
      ...settings,
      stopTokenIds: this.stopTokenIds(),
      ...(signal ? { signal } : {}),
    });
    const generated: number[] = [];
    let decoded = '';
    let finishReason: Summary['finishReason'] = 'length';
    try {
      for (;;) {
        const step = await tokens.next();
        if (step.done) {
          finishReason = step.value;
          break;
        }
        generated.push(step.value);
        const text = this.tokenizer.decode(generated, { skip_special_tokens: true });
        // A token may end inside a multi-byte character; wait for the rest of it.
        if (text.endsWith('\uFFFD')) continue;
        const piece = stops.push(text.slice(decoded.length));
        decoded = text;
        if (piece) yield piece;
        if (stops.stopped) {
          finishReason = 'stop';
          break;
        }
      }
      const rest = stops.flush();
      if (rest) yield rest;
    } finally {
      // Ends the token generator early when we stop on text, which disposes its KV cache.
      await tokens.return('stop');
    }
    const usage = { promptTokens: promptIds.length, completionTokens: generated.length, totalTokens: promptIds.length + generated.length };
    return { text: stops.output, finishReason, usage };
  }

  private stopTokenIds(): number[] {
    const ids = new Set(this.model.config.eosTokenIds);
    const eos = this.tokenizer.eos_token_id;
    if (typeof eos === 'number') ids.add(eos);
    return [...ids];
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
