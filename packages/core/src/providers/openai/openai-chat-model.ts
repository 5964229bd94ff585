import type { z } from 'zod';
import type {
  FinishReason,
  GenerateInput,
  GenerateOptions,
  GenerationResult,
  ModelMetadata,
  TextGenerator,
} from '../../models/model-types.js';
import { extractCitations } from './citation-markers.js';
import { groundedMessages } from '../../models/grounding-prompt.js';
import type { OpenAIClient } from './openai-client.js';
import type { openAIChatOptionsSchema } from './openai-model-options.js';
import { chatCompletionChunkSchema, chatCompletionSchema } from './openai-wire-schemas.js';

const PATH = '/chat/completions';

/** `openai:<model>` for text generation, through `/chat/completions`. */
export class OpenAIChatModel implements TextGenerator {
  constructor(
    private readonly client: OpenAIClient,
    readonly metadata: ModelMetadata,
    private readonly defaults: z.output<typeof openAIChatOptionsSchema> = {},
  ) {}

  async generate(input: GenerateInput, options: GenerateOptions = {}): Promise<GenerationResult> {
    const reply = await this.client.postJson(PATH, this.body(input, options, false), chatCompletionSchema, options.signal);
    const [choice] = reply.choices;
    const text = choice?.message.content ?? '';
    const usage = reply.usage;
    return {
      text,
      finishReason: toFinishReason(choice?.finish_reason),
      ...(options.documents?.length ? { citations: extractCitations(text, options.documents) } : {}),
      ...(usage
        ? {
            usage: {
              promptTokens: usage.prompt_tokens,
              completionTokens: usage.completion_tokens ?? usage.total_tokens - usage.prompt_tokens,
              totalTokens: usage.total_tokens,
            },
          }
        : {}),
      model: this.metadata,
    };
  }

  async *stream(input: GenerateInput, options: GenerateOptions = {}): AsyncGenerator<string> {
    for await (const chunk of this.client.streamJson(PATH, this.body(input, options, true), chatCompletionChunkSchema, options.signal)) {
      for (const choice of chunk.choices) {
        const piece = choice.delta?.content;
        if (piece) yield piece;
      }
    }
  }

  private body(input: GenerateInput, options: GenerateOptions, stream: boolean): Record<string, unknown> {
    const d = this.defaults;
    // JSON.stringify drops the undefined ones, so the server applies its own defaults.
    return {
      model: this.metadata.model,
      messages: groundedMessages(input, options.documents),
      max_tokens: options.maxTokens ?? d.maxTokens,
      temperature: options.temperature ?? d.temperature,
      top_p: options.topP ?? d.topP,
      stop: options.stop ?? d.stop,
      seed: options.seed ?? d.seed,
      ...(stream ? { stream: true } : {}),
    };
  }
}

/**
 * OpenAI's reasons, plus the ones local servers use. Tool calls and unknown
 * reasons count as `stop`: the text that came back is complete as it is.
 */
export function toFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'stop';
  }
}
