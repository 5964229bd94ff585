import { FerryError, groundedMessages, plainChatPrompt, type FinishReason, type GenerateInput, type GenerateOptions, type GenerationResult, type ModelMetadata, type TextGenerator, type TokenUsage } from '@ferry/core';
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  InterruptableStoppingCriteria,
  TextStreamer,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Tensor,
} from '@huggingface/transformers';
import { loadWith, modelMetadata, onnxRequirement, prepareModel, tokenizerRequirement, type ProviderContext } from './model-runtime.js';
import { StopSequenceFilter } from './stop-sequences.js';
import type { GenerationOptions } from './transformers-config.js';

interface RunResult {
  text: string;
  finishReason: FinishReason;
  usage: TokenUsage;
}

/**
 * A causal language model (GPT-2, Llama, Qwen, Phi... as ONNX exports) with
 * its tokenizer. Chat input goes through the tokenizer's chat template when it
 * has one. Greedy unless a temperature above 0 is given; stop sequences and
 * abort signals end generation early through a stopping criterion.
 */
export class TransformersTextGenerator implements TextGenerator {
  readonly metadata: ModelMetadata;

  constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
    metadata: ModelMetadata,
    private readonly defaults: Pick<GenerationOptions, 'maxTokens'>,
  ) {
    this.metadata = metadata;
  }

  async generate(input: GenerateInput, options: GenerateOptions = {}): Promise<GenerationResult> {
    const result = await this.run(input, options, () => undefined);
    return { ...result, model: this.metadata };
  }

  async *stream(input: GenerateInput, options: GenerateOptions = {}): AsyncIterable<string> {
    const queue: string[] = [];
    let wake: (() => void) | undefined;
    let finished = false;
    let failure: unknown;
    // A consumer that stops reading early also stops the generation.
    const controller = new AbortController();
    const outer = options.signal;
    const forward = (): void => controller.abort(outer?.reason);
    outer?.addEventListener('abort', forward, { once: true });
    if (outer?.aborted) forward();
    const running = this.run(input, { ...options, signal: controller.signal }, (piece) => {
      queue.push(piece);
      wake?.();
    }).then(
      () => undefined,
      (error: unknown) => {
        failure = error;
      },
    );
    void running.finally(() => {
      finished = true;
      wake?.();
    });
    try {
      while (outer?.aborted !== true) {
        const next = queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (finished) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      outer?.throwIfAborted();
      if (failure !== undefined) throw failure;
    } finally {
      outer?.removeEventListener('abort', forward);
      if (!finished) {
        controller.abort();
        await running;
      }
    }
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }

  private async run(input: GenerateInput, options: GenerateOptions, onText: (piece: string) => void): Promise<RunResult> {
    options.signal?.throwIfAborted();
    const chat = typeof input !== 'string' || (options.documents?.length ?? 0) > 0;
    const templated = chat && this.hasChatTemplate();
    const prompt = templated
      ? (this.tokenizer.apply_chat_template(groundedMessages(input, options.documents), { add_generation_prompt: true, tokenize: false }) as string)
      : typeof input === 'string' && !options.documents?.length
        ? input
        : plainChatPrompt(groundedMessages(input, options.documents));
    // A chat template writes the special tokens itself.
    const inputs = this.tokenizer(prompt, { add_special_tokens: !templated }) as { input_ids: Tensor; attention_mask: Tensor };
    const promptTokens = inputs.input_ids.dims[1] ?? 0;
    const context = this.metadata.contextLength ?? Infinity;
    if (promptTokens >= context) {
      throw new FerryError('INPUT_INVALID', `the prompt has ${promptTokens} tokens, but ${this.metadata.ref} reads at most ${context}`, {
        field: 'input',
        hint: 'Shorten the prompt or the grounding documents, or use a model with a longer context.',
        details: { promptTokens, contextLength: context },
      });
    }
    // Positions past the context window do not exist in the model.
    const maxTokens = Math.min(options.maxTokens ?? this.defaults.maxTokens, context - promptTokens);

    const filter = new StopSequenceFilter(options.stop ?? []);
    const interrupt = new InterruptableStoppingCriteria();
    const onAbort = (): void => interrupt.interrupt();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const streamer = new TextStreamer(this.tokenizer, {
      skip_prompt: true,
      skip_special_tokens: true,
      // Clean-up rewrites earlier text (" ' " -> "'") after it was streamed, which drops characters.
      decode_kwargs: { clean_up_tokenization_spaces: false },
      callback_function: (piece: string) => {
        const out = filter.push(piece);
        if (out !== '') onText(out);
        if (filter.stopped) interrupt.interrupt();
      },
    });
    const sample = options.temperature !== undefined && options.temperature > 0;
    let sequences: Tensor;
    try {
      sequences = (await this.model.generate({
        ...inputs,
        max_new_tokens: maxTokens,
        do_sample: sample,
        ...(sample ? { temperature: options.temperature, ...(options.topP === undefined ? {} : { top_p: options.topP }) } : {}),
        streamer,
        stopping_criteria: [interrupt],
      })) as Tensor;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    options.signal?.throwIfAborted();
    const tail = filter.flush();
    if (tail !== '') onText(tail);
    const completionTokens = (sequences.dims[1] ?? promptTokens) - promptTokens;
    return {
      text: filter.output,
      finishReason: filter.stopped ? 'stop' : completionTokens >= maxTokens ? 'length' : 'stop',
      usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens },
    };
  }

  private hasChatTemplate(): boolean {
    try {
      return typeof this.tokenizer.get_chat_template({}) === 'string';
    } catch {
      return false;
    }
  }
}

export async function createGenerator(ctx: ProviderContext, model: string, options: GenerationOptions): Promise<TransformersTextGenerator> {
  const prepared = await prepareModel(ctx, model, options, (folder, dtype) => [tokenizerRequirement(folder), onnxRequirement('model', dtype, folder)]);
  const [tokenizer, causalLM] = await loadWith(prepared, 'a causal language model', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(prepared.source.id, prepared.pretrained);
    const causalLM = await AutoModelForCausalLM.from_pretrained(prepared.source.id, prepared.pretrained);
    return [tokenizer, causalLM] as const;
  });
  return new TransformersTextGenerator(tokenizer, causalLM, modelMetadata(prepared, 'text-generation', 'text-generation'), options);
}
