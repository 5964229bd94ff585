import type { GenerateOptions, GenerationResult, ImageEmbedder, ImageInput, ModelMetadata, VisionLanguageModel } from '@ferry/core';
import { classifyImages } from '../clip/zero-shot.js';
import { DEFAULT_COLOUR_CANDIDATES, DEFAULT_OBJECT_CANDIDATES, parseClosedQuestion } from './closed-questions.js';

export interface ClipVqaOptions {
  /** Candidate objects for "what is the main object?" (default: a common-object list). */
  objects?: readonly string[];
  /** Candidate colours for "what colour is …?". */
  colours?: readonly string[];
}

/**
 * Offline visual QA over a CLIP-style embedder: closed-set questions are
 * answered by zero-shot over candidate answers; open-ended ones get an
 * explicit `no-answer` instead of an invented reply.
 */
export class ClipVqaModel implements VisionLanguageModel {
  readonly metadata: ModelMetadata;

  constructor(
    private readonly embedder: ImageEmbedder,
    private readonly options: ClipVqaOptions = {},
  ) {
    const inner = embedder.metadata;
    this.metadata = {
      provider: 'multimodal',
      model: `clip-vqa(${inner.ref})`,
      ref: `multimodal:clip-vqa(${inner.ref})`,
      task: 'vision-language',
      neural: inner.neural,
      description: 'Closed-set visual QA by CLIP zero-shot over candidate answers; says when it cannot answer',
    };
  }

  async answer(image: ImageInput, question: string, options: GenerateOptions = {}): Promise<GenerationResult> {
    const parsed = parseClosedQuestion(question);
    if (!parsed) {
      return {
        text: 'I cannot answer open-ended questions: this offline model only chooses among candidate answers (the main object, a colour, or "is it X or Y?"). Use a vision-language model for this question.',
        finishReason: 'no-answer',
        model: this.metadata,
      };
    }
    const candidates = parsed.kind === 'choice' ? parsed.options : parsed.kind === 'colour' ? (this.options.colours ?? DEFAULT_COLOUR_CANDIDATES) : (this.options.objects ?? DEFAULT_OBJECT_CANDIDATES);
    const [result] = await classifyImages(this.embedder, [image], candidates, { templates: [parsed.template], ...(options.signal ? { signal: options.signal } : {}) });
    const best = result?.ranking[0];
    if (!best) return { text: '', finishReason: 'no-answer', model: this.metadata };
    return { text: best.label, finishReason: 'stop', model: this.metadata };
  }
}
