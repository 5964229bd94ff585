import {
  Deadline,
  ExtractiveAnswerer,
  FerryError,
  NO_ANSWER_TEXT,
  defineStep,
  guard,
  pipeline,
  type Citation,
  type FinishReason,
  type GenerateInput,
  type GenerateOptions,
  type GenerationResult,
  type Guard,
  type ModelMetadata,
  type PipelineEventListener,
  type TextGenerator,
} from '@ferry/core';
import { z } from 'zod';
import { checkMetadataFilter } from '../stores/metadata-filter.js';
import type { MetadataFilter } from '../stores/vector-store.js';
import type { RetrievedChunk, Retriever } from '../retrieval/retriever.js';
import type { Answer, AnswerEvent } from './answer-types.js';
import { citedSources, toContextNumbers } from './citations.js';
import { defaultPrompt, type PromptBuilder, type PromptDocument } from './default-prompt.js';
import { loadPromptPlugin } from './prompt-plugin-bridge.js';
import { answerSource, sourceLabel } from './source-label.js';

/**
 * Best-chunk evidence (idf-weighted share of the question's terms, see
 * RetrievedChunk.evidence) under which the answer is "I don't know".
 * Calibrated by bench/rag/quality.bench.mjs on XQuAD-en with half the
 * articles held out: at 0.42 the pipeline answered 86.8% of answerable
 * questions and refused 92.6% of unanswerable ones (best balanced accuracy).
 */
export const DEFAULT_MIN_EVIDENCE = 0.42;
export const DEFAULT_CONTEXT_CHUNKS = 4;

export interface AnswererOptions {
  retriever: Retriever;
  /** Any TextGenerator; the offline extractive answerer (quotes with citations, never invents) by default. */
  generator?: TextGenerator;
  /** Builds the chat prompt for neural generators; the prompt plugin's knowledge-base-answer template when installed, else a built-in one. */
  prompt?: PromptBuilder;
  /** Checks (and may rewrite) the question before retrieval; the prompt plugin's injection guard by default when installed. */
  guards?: Guard[];
  /** Don't look for @ferry/plugin-prompt (tests, or to force the built-in prompt and no guard). */
  usePromptPlugin?: boolean;
  /** Chunks given to the model as context; 4 by default. */
  k?: number;
  /** "I don't know" under this best-chunk evidence; see DEFAULT_MIN_EVIDENCE. */
  minEvidence?: number;
  /** Passed to the generator. */
  maxTokens?: number;
  temperature?: number;
  /** Limit on one generation, retries included (a provider's own timeout bounds each attempt); none by default. */
  generatorTimeoutMs?: number;
  /**
   * When the generator fails (error, timeout, open circuit breaker): `error`
   * (default) throws; `extractive` answers with the offline extractive
   * answerer from the passages already retrieved, marked `degraded`.
   */
  fallback?: AnswerFallback;
  /** Told of every degraded answer, e.g. to log it. */
  onDegraded?: (event: { question: string; reason: string; error: unknown }) => void;
}

export type AnswerFallback = 'error' | 'extractive';

export interface AskOptions {
  k?: number;
  filter?: MetadataFilter;
  signal?: AbortSignal;
  /** Pipeline events (step start/end), e.g. core's renderProgress(). */
  onEvent?: PipelineEventListener;
}

const filterSchema = z.custom<MetadataFilter>((v) => {
  checkMetadataFilter(v);
  return true;
});
const questionSchema = z.object({
  question: z.string().trim().min(1, 'the question is empty'),
  k: z.number().int().min(1).max(100),
  filter: filterSchema.optional(),
});
const chunkSchema = z.custom<RetrievedChunk>(
  (v) => typeof (v as RetrievedChunk | null)?.id === 'string' && typeof (v as RetrievedChunk).text === 'string',
  'a retrieved chunk',
);
const contextSchema = z.object({ question: z.string(), context: z.array(chunkSchema), evidence: z.number() });
const promptedSchema = contextSchema.extend({
  /** Under the evidence threshold: no generation. */
  skip: z.boolean(),
  input: z.custom<GenerateInput>((v) => typeof v === 'string' || Array.isArray(v), 'a prompt'),
  options: z.custom<GenerateOptions>((v) => typeof v === 'object' && v !== null, 'generate options'),
});
const generatedSchema = contextSchema.extend({
  text: z.string(),
  finishReason: z.custom<FinishReason>((v) => typeof v === 'string'),
  model: z.custom<ModelMetadata>().optional(),
  degraded: z.object({ reason: z.string() }).optional(),
});
type Generated = z.output<typeof generatedSchema>;
type Prompted = z.output<typeof promptedSchema>;
const answerSchema = z.custom<Answer>((v) => typeof (v as Answer | null)?.text === 'string', 'an answer');

/** The answering pipeline: check (guards) -> retrieve -> prompt -> generate -> cite. */
export class Answerer {
  readonly pipeline;
  readonly generator: TextGenerator;
  private readonly k: number;
  private readonly minEvidence: number;
  private readonly buildPrompt: PromptBuilder;
  private readonly generateOptions: GenerateOptions;
  private readonly fallback: AnswerFallback;
  private readonly generatorTimeoutMs: number | undefined;
  private fallbackAnswerer: ExtractiveAnswerer | undefined;

  constructor(private readonly options: AnswererOptions & { prompt: PromptBuilder; guards: Guard[] }) {
    this.generator = options.generator ?? new ExtractiveAnswerer();
    this.k = options.k ?? DEFAULT_CONTEXT_CHUNKS;
    this.minEvidence = options.minEvidence ?? DEFAULT_MIN_EVIDENCE;
    this.buildPrompt = options.prompt;
    this.generateOptions = {
      ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
      ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    };
    this.fallback = options.fallback ?? 'error';
    this.generatorTimeoutMs = options.generatorTimeoutMs;
    if (this.generatorTimeoutMs !== undefined && !(Number.isInteger(this.generatorTimeoutMs) && this.generatorTimeoutMs > 0)) {
      throw new FerryError('INPUT_INVALID', `generatorTimeoutMs must be a positive integer, got ${String(this.generatorTimeoutMs)}`, {
        field: 'generatorTimeoutMs',
        hint: 'Give the whole generation (retries included) a limit in ms, e.g. 20000, or leave it unset for none.',
      });
    }
    if (!Number.isInteger(this.k) || this.k < 1 || this.k > 100) {
      throw new FerryError('INPUT_INVALID', `k must be an integer from 1 to 100, got ${String(this.k)}`, { field: 'k', hint: 'Give the model 3 to 8 chunks of context, e.g. k: 4.' });
    }
    if (!(this.minEvidence >= 0 && this.minEvidence <= 1)) {
      throw new FerryError('INPUT_INVALID', `minEvidence must be in 0..1, got ${String(this.minEvidence)}`, {
        field: 'minEvidence',
        hint: `Use ${DEFAULT_MIN_EVIDENCE} (calibrated on XQuAD), lower to answer more, higher to refuse more; 0 never refuses.`,
      });
    }
    this.pipeline = pipeline('rag.answer', this.checkStep(), this.retrieveStep(), this.promptStep(), this.generateStep(), this.citeStep());
  }

  async ask(question: string, options: AskOptions = {}): Promise<Answer> {
    const { output } = await this.pipeline.run(this.request(question, options), runOptions(options));
    return output;
  }

  /** Text pieces as the generator streams them, then the whole answer (same numbering in both). */
  async *stream(question: string, options: AskOptions = {}): AsyncIterable<AnswerEvent> {
    const prefix = pipeline('rag.answer-context', this.checkStep(), this.retrieveStep(), this.promptStep());
    const { output: prompted } = await prefix.run(this.request(question, options), runOptions(options));
    if (prompted.skip || !this.generator.metadata.neural) {
      // The extractive answerer composes its answer at once; its markers need renumbering before anyone sees them.
      const answer = this.cite(await this.generate(prompted));
      for (const piece of answer.text.match(/\S+\s*/g) ?? []) yield { type: 'text', text: piece };
      yield { type: 'answer', answer };
      return;
    }
    let text = '';
    const deadline = this.deadline(options.signal);
    const signal = deadline?.signal ?? options.signal;
    try {
      for await (const piece of this.generator.stream(prompted.input, { ...prompted.options, ...(signal === undefined ? {} : { signal }) })) {
        text += piece;
        yield { type: 'text', text: piece };
      }
    } catch (error) {
      // Text already shown cannot be taken back: only a stream that failed before its first piece falls back.
      if (text !== '' || options.signal?.aborted) throw error;
      const answer = this.cite(await this.recover(prompted, error, deadline?.expired !== undefined));
      for (const piece of answer.text.match(/\S+\s*/g) ?? []) yield { type: 'text', text: piece };
      yield { type: 'answer', answer };
      return;
    } finally {
      deadline?.dispose();
    }
    const finishReason: FinishReason = isNoAnswer(text) ? 'no-answer' : 'stop';
    yield { type: 'answer', answer: this.cite({ ...prompted, text, finishReason, model: this.generator.metadata }) };
  }

  private request(question: string, options: AskOptions): z.input<typeof questionSchema> {
    return { question, k: options.k ?? this.k, ...(options.filter === undefined ? {} : { filter: options.filter }) };
  }

  private checkStep() {
    const step = defineStep({
      name: 'check',
      description: 'validates the question and runs the guards on it',
      input: questionSchema,
      output: questionSchema,
      run: (input) => input,
    });
    return this.options.guards.length > 0 ? step.use(guard(...this.options.guards)) : step;
  }

  private retrieveStep() {
    return defineStep({
      name: 'retrieve',
      input: questionSchema,
      output: contextSchema,
      run: async ({ question, k, filter }, ctx) => {
        const context = await this.options.retriever.retrieve(question, { k, signal: ctx.signal, ...(filter === undefined ? {} : { filter }) });
        const evidence = context.reduce((best, c) => Math.max(best, c.evidence), 0);
        ctx.setAttributes({ 'rag.chunks': context.length, 'rag.evidence': evidence });
        return { question, context, evidence };
      },
    });
  }

  private promptStep() {
    return defineStep({
      name: 'prompt',
      input: contextSchema,
      output: promptedSchema,
      run: ({ question, context, evidence }) => {
        const skip = context.length === 0 || evidence < this.minEvidence;
        const documents = promptDocuments(context);
        // Non-neural generators (extractive) read the question and the documents, not a prompt.
        const neural = this.generator.metadata.neural;
        const input: GenerateInput = skip || !neural ? question : this.buildPrompt(question, documents);
        const options: GenerateOptions = { ...this.generateOptions, ...(neural ? {} : { documents }) };
        return { question, context, evidence, skip, input, options };
      },
    });
  }

  private generateStep() {
    return defineStep({ name: 'generate', input: promptedSchema, output: generatedSchema, run: (prompted, ctx) => this.generate(prompted, ctx.signal) });
  }

  private citeStep() {
    return defineStep({ name: 'cite', input: generatedSchema, output: answerSchema, run: (generated) => this.cite(generated) });
  }

  private async generate(prompted: Prompted, signal?: AbortSignal): Promise<Generated> {
    const { question, context, evidence } = prompted;
    if (prompted.skip) return { question, context, evidence, text: NO_ANSWER_TEXT, finishReason: 'no-answer' };
    const deadline = this.deadline(signal);
    const callSignal = deadline?.signal ?? signal;
    try {
      const result = await this.generator.generate(prompted.input, { ...prompted.options, ...(callSignal === undefined ? {} : { signal: callSignal }) });
      return fromResult(prompted, result);
    } catch (error) {
      // The caller gave up (client gone): there is nobody to give a fallback answer to.
      if (signal?.aborted) throw error;
      return this.recover(prompted, error, deadline?.expired !== undefined);
    } finally {
      deadline?.dispose();
    }
  }

  /** The generator call's deadline (the caller's signal or generatorTimeoutMs, whichever first); none without a limit. */
  private deadline(caller: AbortSignal | undefined): Deadline | undefined {
    if (this.generatorTimeoutMs === undefined) return undefined;
    const deadline = new Deadline(caller);
    deadline.arm(this.generatorTimeoutMs, undefined, 'answer');
    return deadline;
  }

  /** The generator failed: throw (fallback 'error'), or answer extractively from the same passages, marked degraded. */
  private async recover(prompted: Prompted, error: unknown, timedOut: boolean): Promise<Generated> {
    const failure =
      timedOut
        ? new FerryError('PROVIDER_TIMEOUT', `${this.generator.metadata.ref} did not finish its answer within generatorTimeoutMs (${this.generatorTimeoutMs} ms)`, {
            field: 'answer.generatorTimeoutMs',
            hint: 'The model endpoint is slow or stalled: check its load, or raise answer.generatorTimeoutMs.',
            cause: error,
          })
        : error;
    if (this.fallback === 'error') throw failure;
    const reason = firstLine(failure);
    this.options.onDegraded?.({ question: prompted.question, reason, error: failure });
    this.fallbackAnswerer ??= new ExtractiveAnswerer();
    const documents = promptDocuments(prompted.context);
    const result = await this.fallbackAnswerer.generate(prompted.question, { ...this.generateOptions, documents });
    return { ...fromResult(prompted, result), degraded: { reason } };
  }

  private cite(generated: Generated): Answer {
    const { question, context, evidence, text, finishReason, model, degraded } = generated;
    const answered = finishReason !== 'no-answer';
    return {
      question,
      text: answered ? text.trim() : NO_ANSWER_TEXT,
      answered,
      ...(answered ? {} : { noAnswerReason: model === undefined ? 'no-evidence' : 'model-no-answer' }),
      sources: answered ? citedSources(text, context) : [],
      context,
      evidence,
      finishReason,
      ...(model === undefined ? {} : { model }),
      ...(degraded === undefined ? {} : { degraded }),
    };
  }
}

function fromResult(prompted: Prompted, result: GenerationResult): Generated {
  const { question, context, evidence } = prompted;
  const text = result.citations ? toContextNumbers(result.text, result.citations as Citation[], context) : result.text;
  const finishReason = result.finishReason === 'no-answer' || isNoAnswer(text) ? 'no-answer' : result.finishReason;
  return { question, context, evidence, text, finishReason, model: result.model };
}

function promptDocuments(context: RetrievedChunk[]): PromptDocument[] {
  return context.map((c, i) => ({ id: c.id, text: c.text, source: sourceLabel(answerSource(i + 1, c)) }));
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? message).replace(/^\[[A-Z_]+\] /, '');
}

function isNoAnswer(text: string): boolean {
  return text.trim().toLowerCase().startsWith(NO_ANSWER_TEXT.toLowerCase().replace(/\.$/, ''));
}

function runOptions(options: AskOptions) {
  return { ...(options.signal === undefined ? {} : { signal: options.signal }), ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }) };
}

/**
 * The answering pipeline with @ferry/plugin-prompt's knowledge-base-answer
 * template and injection guard when that plugin is installed (unless
 * `usePromptPlugin: false` or they are given), the built-in prompt and no guard otherwise.
 */
export async function createAnswerer(options: AnswererOptions): Promise<Answerer> {
  const parts = options.usePromptPlugin === false || (options.prompt && options.guards) ? undefined : await loadPromptPlugin();
  return new Answerer({
    ...options,
    prompt: options.prompt ?? parts?.prompt ?? defaultPrompt,
    guards: options.guards ?? (parts ? [parts.injectionGuard] : []),
  });
}
