import type { FinishReason, ModelMetadata } from '@ferry/core';
import type { RetrievedChunk } from '../retrieval/retriever.js';

/** One entry of an answer's source list; `n` is the number its `[n]` markers use. */
export interface AnswerSource {
  n: number;
  /** Chunk id, `${source}#${index}`. */
  id: string;
  /** Source path relative to the ingest root. */
  source: string;
  title?: string;
  page?: number;
  /** Heading path joined with ' > '. */
  heading?: string;
}

export interface Answer {
  question: string;
  /** The answer with `[n]` citation markers, or the no-answer sentence. */
  text: string;
  /** False when the pipeline or the model said "I don't know". */
  answered: boolean;
  /** Why there is no answer: no chunk cleared the evidence threshold, or the model found none in them. */
  noAnswerReason?: 'no-evidence' | 'model-no-answer';
  /** The cited chunks, in order of first citation; numbers match the markers in `text`. */
  sources: AnswerSource[];
  /** Every chunk given to the model as context, numbered 1.. in this order. */
  context: RetrievedChunk[];
  /** The best chunk's evidence (0..1), compared against the threshold. */
  evidence: number;
  finishReason: FinishReason;
  /** The model that wrote the text; absent when the threshold answered without calling it. */
  model?: ModelMetadata;
  /** Set when the generator failed and the extractive fallback answered instead (see AnswererOptions.fallback). */
  degraded?: { reason: string };
}

/** What `stream` yields: text pieces as the model produces them, then the whole answer. */
export type AnswerEvent = { type: 'text'; text: string } | { type: 'answer'; answer: Answer };
