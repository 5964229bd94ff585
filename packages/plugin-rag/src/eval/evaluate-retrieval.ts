import { normalizeText } from '@ferry/core';
import type { Answerer } from '../answer/answerer.js';
import type { RetrievedChunk, Retriever } from '../retrieval/retriever.js';
import type { MetadataFilter } from '../stores/vector-store.js';
import { parseQaItems, type QaItem, type QaItemInput } from './qa-item.js';

export interface EvaluateOptions {
  retriever: Retriever;
  /** With an answerer, answers are scored too (answer-contains rate, "don't know" precision). */
  answerer?: Answerer;
  /** Cut-offs for hit@k; 1, 3, 5 and 10 by default. MRR is over the largest. */
  ks?: number[];
  filter?: MetadataFilter;
  /** Called after each question. */
  onProgress?: (done: number, total: number) => void;
}

export interface QuestionResult {
  question: string;
  /** 1-based rank of the first relevant chunk, or null when none is in the top max(ks). */
  rank: number | null;
  answer?: string;
  answered?: boolean;
  /** Whether the answer contains one of the gold answers. */
  contains?: boolean;
  unanswerable: boolean;
}

export interface RetrievalEvaluation {
  questions: number;
  /** Questions with relevant chunks named: the ones hit@k and MRR are over. */
  withRelevant: number;
  /** hit@k for each k: share of those questions with a relevant chunk in the top k. */
  hitAt: Record<string, number>;
  mrr: number;
  /** With an answerer: share of answerable questions with gold answers whose answer contains one. */
  answerContainsRate?: number;
  /** With an answerer: of the "I don't know" replies, the share given to unanswerable questions (null when none). */
  dontKnowPrecision?: number | null;
  /** With an answerer: share of unanswerable questions answered "I don't know" (null when there are none). */
  dontKnowRecall?: number | null;
  /** With an answerer: share of answerable questions it answered. */
  answeredRate?: number;
  results: QuestionResult[];
}

function isRelevant(chunk: RetrievedChunk, relevant: readonly string[]): boolean {
  return relevant.some((r) => chunk.id === r || chunk.metadata.source === r);
}

function contains(text: string, answers: readonly string[]): boolean {
  const haystack = normalizeText(text);
  return answers.some((a) => haystack.includes(normalizeText(a).trim()));
}

const share = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/**
 * Retrieval and answer quality on a question set: hit@k and MRR from the
 * `relevant` chunks, and with an answerer the answer-contains rate and how
 * precise its "I don't know" is on questions marked unanswerable.
 */
export async function evaluateRetrieval(qa: readonly (QaItem | QaItemInput)[], options: EvaluateOptions): Promise<RetrievalEvaluation> {
  const items = parseQaItems(qa);
  const ks = [...new Set(options.ks ?? [1, 3, 5, 10])].sort((a, b) => a - b);
  const depth = ks.at(-1) ?? 10;
  const results: QuestionResult[] = [];
  for (const [i, item] of items.entries()) {
    let rank: number | null = null;
    if (item.relevant.length > 0) {
      const chunks = await options.retriever.retrieve(item.question, { k: depth, ...(options.filter === undefined ? {} : { filter: options.filter }) });
      const found = chunks.findIndex((c) => isRelevant(c, item.relevant));
      rank = found < 0 ? null : found + 1;
    }
    const result: QuestionResult = { question: item.question, rank, unanswerable: item.unanswerable };
    if (options.answerer) {
      const answer = await options.answerer.ask(item.question, options.filter === undefined ? {} : { filter: options.filter });
      result.answer = answer.text;
      result.answered = answer.answered;
      if (item.answers.length > 0) result.contains = answer.answered && contains(answer.text, item.answers);
    }
    results.push(result);
    options.onProgress?.(i + 1, items.length);
  }
  const ranked = results.filter((_, i) => (items[i] as QaItem).relevant.length > 0);
  const hitAt = Object.fromEntries(ks.map((k) => [String(k), share(ranked.filter((r) => r.rank !== null && r.rank <= k).length, ranked.length) ?? 0]));
  const mrr = ranked.length === 0 ? 0 : ranked.reduce((sum, r) => sum + (r.rank === null ? 0 : 1 / r.rank), 0) / ranked.length;
  const evaluation: RetrievalEvaluation = { questions: items.length, withRelevant: ranked.length, hitAt, mrr, results };
  if (options.answerer) {
    const withGold = results.filter((r) => !r.unanswerable && r.contains !== undefined);
    const refused = results.filter((r) => r.answered === false);
    const unanswerable = results.filter((r) => r.unanswerable);
    const answerable = results.filter((r) => !r.unanswerable);
    evaluation.answerContainsRate = share(withGold.filter((r) => r.contains).length, withGold.length) ?? 0;
    evaluation.dontKnowPrecision = share(refused.filter((r) => r.unanswerable).length, refused.length);
    evaluation.dontKnowRecall = share(unanswerable.filter((r) => r.answered === false).length, unanswerable.length);
    evaluation.answeredRate = share(answerable.filter((r) => r.answered).length, answerable.length) ?? 0;
  }
  return evaluation;
}

/** A fixed-width text table of an evaluation, for the CLI. */
export function formatEvaluation(e: RetrievalEvaluation): string {
  const pct = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(1)}%`);
  const lines = [`questions ${e.questions} (${e.withRelevant} with relevant chunks)`];
  for (const [k, v] of Object.entries(e.hitAt)) lines.push(`hit@${k.padEnd(3)} ${pct(v)}`);
  lines.push(`MRR     ${e.mrr.toFixed(3)}`);
  if (e.answerContainsRate !== undefined) {
    lines.push(`answer contains gold   ${pct(e.answerContainsRate)}`);
    lines.push(`answered (answerable)  ${pct(e.answeredRate)}`);
    lines.push(`"don't know" precision ${pct(e.dontKnowPrecision)}`);
    lines.push(`"don't know" recall    ${pct(e.dontKnowRecall)}`);
  }
  return lines.join('\n');
}
