import {
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
}

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
});
const answerSchema = z.custom<Answer>((v) => typeof (v as Answer | null)?.text === 'string', 'an answer');

/** The answering pipeline: check (guards) -> retrieve -> prompt -> generate -> cite. */
export class Answerer {
  readonly pipeline;
  readonly generator: TextGenerator;
  private readonly k: number;
  private readonly minEvidence: number;
  private readonly buildPrompt: PromptBuilder;
  private readonly generateOptions: GenerateOptions;

  constructor(private readonly options: AnswererOptions & { prompt: PromptBuilder; guards: Guard[] }) {
    this.generator = options.generator ?? new ExtractiveAnswerer();
    this.k = options.k ?? DEFAULT_CONTEXT_CHUNKS;
    this.minEvidence = options.minEvidence ?? DEFAULT_MIN_EVIDENCE;
    this.buildPrompt = options.prompt;
    this.generateOptions = {
      ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
      ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    };
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
    for await (const piece of this.generator.stream(prompted.input, { ...prompted.options, ...(options.signal === undefined ? {} : { signal: options.signal }) })) {
      text += piece;
      yield { type: 'text', text: piece };
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
        const documents: PromptDocument[] = context.map((c, i) => ({ id: c.id, text: c.text, source: sourceLabel(answerSource(i + 1, c)) }));
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

  private async generate(prompted: z.output<typeof promptedSchema>, signal?: AbortSignal): Promise<z.output<typeof generatedSchema>> {
    const { question, context, evidence } = prompted;
    if (prompted.skip) return { question, context, evidence, text: NO_ANSWER_TEXT, finishReason: 'no-answer' };
    const result = await this.generator.generate(prompted.input, { ...prompted.options, ...(signal === undefined ? {} : { signal }) });
    const text = result.citations ? toContextNumbers(result.text, result.citations as Citation[], context) : result.text;
    const finishReason = result.finishReason === 'no-answer' || isNoAnswer(text) ? 'no-answer' : result.finishReason;
    return { question, context, evidence, text, finishReason, model: result.model };
  }

  private cite(generated: z.output<typeof generatedSchema>): Answer {
    const { question, context, evidence, text, finishReason, model } = generated;
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
    };
  }
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
