import { z } from 'zod';
import { FerryError, fromZodError } from '../../errors/ferry-error.js';
import type {
  Citation,
  GenerateInput,
  GenerateOptions,
  GenerationResult,
  GroundingDocument,
  ModelMetadata,
  TextGenerator,
} from '../../models/model-types.js';
import { Bm25Index, countTerms, type TermBag } from './bm25.js';
import { HashingEmbedder } from './hashing-embedder.js';
import { LruCache } from '../../pipeline/lru-cache.js';
import { splitSentences, type SentenceSpan } from './sentence-splitter.js';
import { STOP_WORDS } from './stop-words.js';
import { searchTerms } from './tokenize.js';
import { sparseDot, type SparseVector } from './vector-math.js';
import { wordPieces } from './word-pieces.js';

export const NO_ANSWER_TEXT = "I don't know based on the provided documents.";

/** Share of the score from lexical (BM25) coverage; the rest is hashing-embedding cosine. */
const LEXICAL_WEIGHT = 0.7;
/** Further sentences join the answer only when nearly as relevant as the best one. */
const COMPANION_RATIO = 0.8;
const ANSWER_EMBEDDING_DIMS = 1024;
/** Chunk analyses kept: a few KB each for a 1,000-character chunk, so about a megabyte at most. */
const ANALYSED_DOCUMENTS = 256;
/**
 * Longer documents are analysed per call and not kept: a knowledge base's
 * chunks are far shorter, and caching what a request sends (up to a
 * megabyte each) would let a few requests fill the memory.
 */
const CACHED_DOCUMENT_CHARS = 16_384;

interface AnalysedSentence {
  span: SentenceSpan;
  terms: TermBag;
  /** Sparse: a sentence fills a few dozen of the 1,024 dimensions, and a long document has thousands of sentences. */
  vector: SparseVector;
}

export const extractiveAnswererOptionsSchema = z.strictObject({
  /** Sentences scoring below this (0..1) are never quoted; with none above it the answer is "I don't know". */
  minScore: z.number().min(0).max(1).default(0.3),
  /** Most sentences quoted in one answer. */
  maxSentences: z.number().int().min(1).max(10).default(3),
});

export type ExtractiveAnswererOptions = z.input<typeof extractiveAnswererOptionsSchema>;

const documentsSchema = z.array(
  z.looseObject({
    id: z.string().min(1),
    text: z.string(),
    source: z.string().optional(),
  }),
);

/** A candidate sentence with the parts of its score, best first in `scoreSentences`. */
export interface ScoredSentence {
  documentId: string;
  source?: string;
  /** Exact text of the sentence in its document. */
  text: string;
  /** Character offsets in the document text. */
  start: number;
  end: number;
  /** Idf-weighted share of the question's terms the sentence contains (BM25 over a reference score), 0..1. */
  lexical: number;
  /** Cosine of the hashing embeddings of question and sentence, clamped to 0..1. */
  semantic: number;
  /** `0.7 * lexical + 0.3 * semantic`. */
  score: number;
}

export const EXTRACTIVE_ANSWERER_METADATA: ModelMetadata = {
  provider: 'offline',
  model: 'extractive',
  ref: 'offline:extractive',
  task: 'text-generation',
  neural: false,
  description: 'Extractive answerer: quotes the best-matching sentences of the grounding documents with citations (BM25 + feature hashing), not a neural model',
};

/**
 * Answers by quoting: splits the grounding documents into sentences, scores
 * each against the question (BM25 coverage of the question's content words
 * blended with hashing-embedding cosine, which catches inflections and
 * partial words), and returns the best one to `maxSentences` sentences above
 * `minScore`, each followed by a `[n]` marker that indexes `citations`.
 * It never writes new text, so it cannot hallucinate; it also cannot
 * rephrase, reason, or combine facts. With no sentence above the threshold
 * it says it does not know (finishReason `no-answer`).
 */
export class ExtractiveAnswerer implements TextGenerator {
  readonly metadata: ModelMetadata = EXTRACTIVE_ANSWERER_METADATA;

  private readonly options: z.output<typeof extractiveAnswererOptionsSchema>;
  private readonly embedder = new HashingEmbedder(ANSWER_EMBEDDING_DIMS);
  private readonly analysed = new LruCache<string, AnalysedSentence[]>({ maxEntries: ANALYSED_DOCUMENTS });

  constructor(options: ExtractiveAnswererOptions = {}) {
    const parsed = extractiveAnswererOptionsSchema.safeParse(options);
    if (!parsed.success) {
      throw fromZodError('INPUT_INVALID', parsed.error, { what: 'offline:extractive options', fieldPrefix: 'options' });
    }
    this.options = parsed.data;
  }

  async generate(input: GenerateInput, options: GenerateOptions = {}): Promise<GenerationResult> {
    options.signal?.throwIfAborted();
    const question = questionOf(input);
    const ranked = this.scoreSentences(question, options.documents ?? []);
    options.signal?.throwIfAborted();

    const best = ranked[0];
    if (!best || best.score < this.options.minScore) {
      return { text: NO_ANSWER_TEXT, finishReason: 'no-answer', model: this.metadata };
    }
    const floor = Math.max(this.options.minScore, best.score * COMPANION_RATIO);
    const chosen = withinTokenBudget(
      ranked.filter((s) => s.score >= floor).slice(0, this.options.maxSentences),
      options.maxTokens,
    );
    const citations: Citation[] = chosen.map((s) => ({
      documentId: s.documentId,
      ...(s.source === undefined ? {} : { source: s.source }),
      quote: s.text,
      score: s.score,
    }));
    const pieces = wordPieces(chosen.map((s, i) => `${s.text} [${i + 1}]`).join(' '));
    // Only a best sentence longer than the budget on its own gets cut.
    const limit = Math.max(1, options.maxTokens ?? pieces.length);
    const finishReason = pieces.length > limit ? 'length' : 'stop';
    const text = pieces.slice(0, limit).join('').trimEnd();
    return { text, finishReason, citations, model: this.metadata };
  }

  async *stream(input: GenerateInput, options?: GenerateOptions): AsyncIterable<string> {
    const result = await this.generate(input, options);
    for (const piece of wordPieces(result.text)) {
      options?.signal?.throwIfAborted();
      yield piece;
    }
  }

  /**
   * A document's sentences with their search terms and embeddings. A
   * knowledge base retrieves the same chunks for many questions, and this
   * analysis was most of an answer's cost, so it is kept per chunk text.
   */
  private analyse(text: string): AnalysedSentence[] {
    const cached = this.analysed.get(text);
    if (cached) return cached;
    const sentences = splitSentences(text).map((span) => ({ span, terms: countTerms(searchTerms(span.text)), vector: this.embedder.embedSparse(span.text) }));
    if (text.length <= CACHED_DOCUMENT_CHARS) this.analysed.set(text, sentences);
    return sentences;
  }

  /** Every sentence of the documents scored against the question, best first (ties keep document order). */
  scoreSentences(question: string, documents: readonly GroundingDocument[]): ScoredSentence[] {
    const parsed = documentsSchema.safeParse(documents);
    if (!parsed.success) {
      throw fromZodError('INPUT_INVALID', parsed.error, { what: 'offline:extractive documents', fieldPrefix: 'options.documents' });
    }
    const sentences = documents.flatMap((doc) => this.analyse(doc.text).map((sentence) => ({ doc, ...sentence })));
    const queryTerms = searchTerms(question).filter((term) => !STOP_WORDS.has(term));
    if (sentences.length === 0 || queryTerms.length === 0) return [];

    const index = new Bm25Index(sentences.map((s) => s.terms));
    const coverage = index.coverageAll(queryTerms);
    const questionVector = this.embedder.embedText(question);

    const scored = sentences.map(({ doc, span, vector }, i): ScoredSentence => {
      const lexical = coverage[i] as number;
      const semantic = Math.max(0, sparseDot(questionVector, vector));
      return {
        documentId: doc.id,
        ...(doc.source === undefined ? {} : { source: doc.source }),
        text: span.text,
        start: span.start,
        end: span.end,
        lexical,
        semantic,
        score: LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * semantic,
      };
    });
    return scored.sort((a, b) => b.score - a.score);
  }
}

/** The question is the string itself, or the last user message of a chat. */
function questionOf(input: GenerateInput): string {
  if (typeof input === 'string') return input;
  const last = input.findLast((message) => message.role === 'user');
  if (!last) {
    throw new FerryError('INPUT_INVALID', 'offline:extractive needs a user message to answer, and the chat has none', {
      field: 'input',
      hint: 'Pass the question as a string, or end the messages with { role: "user", content: "your question" }.',
    });
  }
  return last.content;
}

/** Keeps the best sentence always, and further ones while the answer fits `maxTokens` word pieces. */
function withinTokenBudget(sentences: ScoredSentence[], maxTokens: number | undefined): ScoredSentence[] {
  if (maxTokens === undefined) return sentences;
  const kept: ScoredSentence[] = [];
  let used = 0;
  for (const sentence of sentences) {
    const cost = wordPieces(sentence.text).length + 1;
    if (kept.length > 0 && used + cost > maxTokens) break;
    kept.push(sentence);
    used += cost;
  }
  return kept;
}
