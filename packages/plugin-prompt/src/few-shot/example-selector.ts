import { FerryError, type Embedder } from '@ferry/core';
import { maximalMarginalRelevance } from './maximal-marginal-relevance.js';
import { unitVector } from './unit-vector.js';

export interface FewShotExample {
  text: string;
  label?: string;
  [key: string]: unknown;
}

export interface SelectOptions {
  k: number;
  /** 1 ranks by relevance alone; lower values trade relevance for variety. */
  lambda?: number;
  /** One example per label before any label gets a second, as far as k allows. */
  perLabel?: boolean;
  /** How many of the most relevant examples MMR chooses among; default max(20, 4k). */
  poolSize?: number;
  signal?: AbortSignal;
}

export interface SelectedExample<E extends FewShotExample> {
  example: E;
  /** Position in the examples given to the selector. */
  index: number;
  /** Cosine similarity to the query. */
  relevance: number;
  /** The MMR score it was picked with. */
  score: number;
}

export interface ExampleSelector<E extends FewShotExample> {
  readonly examples: readonly E[];
  select(query: string, options: SelectOptions): Promise<Array<SelectedExample<E>>>;
}

/**
 * Few-shot example selection by Maximal Marginal Relevance. The examples
 * are embedded once, on the first `select`, and reused for every query.
 */
export function createExampleSelector<E extends FewShotExample>(examples: readonly E[], embedder: Embedder): ExampleSelector<E> {
  const pool = [...examples];
  let vectors: Promise<Float32Array[]> | undefined;
  const embedExamples = async (signal?: AbortSignal): Promise<Float32Array[]> => {
    const raw = await embedder.embed(
      pool.map((e) => e.text),
      signal ? { signal } : undefined,
    );
    if (raw.length !== pool.length) throw badEmbedding(embedder, pool.length, raw.length);
    return raw.map(unitVector);
  };
  return {
    examples: pool,
    async select(query, options) {
      const { k, lambda } = checkOptions(options);
      if (k === 0 || pool.length === 0) return [];
      // A failed embedding (abort, provider error) is not cached, so the next call retries.
      vectors ??= embedExamples(options.signal).catch((error: unknown) => {
        vectors = undefined;
        throw error;
      });
      const [candidates, queryVectors] = await Promise.all([vectors, embedder.embed([query], options.signal ? { signal: options.signal } : undefined)]);
      const [queryVector] = queryVectors;
      if (queryVectors.length !== 1 || !queryVector) throw badEmbedding(embedder, 1, queryVectors.length);
      const picks = maximalMarginalRelevance({
        query: unitVector(queryVector),
        candidates,
        labels: pool.map((e) => e.label),
        k,
        lambda,
        poolSize: options.poolSize ?? Math.max(20, 4 * k),
        perLabel: options.perLabel ?? false,
      });
      return picks.map((pick) => ({ ...pick, example: pool[pick.index] as E }));
    },
  };
}

export interface SelectExamplesInput<E extends FewShotExample> extends SelectOptions {
  query: string;
  examples: readonly E[];
  embedder: Embedder;
}

/** One-off selection; use createExampleSelector to embed the examples once for many queries. */
export function selectExamples<E extends FewShotExample>(input: SelectExamplesInput<E>): Promise<Array<SelectedExample<E>>> {
  const { query, examples, embedder, ...options } = input;
  return createExampleSelector(examples, embedder).select(query, options);
}

function badEmbedding(embedder: Embedder, expected: number, got: number): FerryError {
  return new FerryError('PROVIDER_BAD_RESPONSE', `embedder ${embedder.metadata.ref} returned ${got} vector(s) for ${expected} text(s)`, {
    hint: 'Use an embedder that returns one vector per input text.',
  });
}

function checkOptions(options: SelectOptions): { k: number; lambda: number } {
  const lambda = options.lambda ?? 0.5;
  if (!Number.isInteger(options.k) || options.k < 0) {
    throw new FerryError('INPUT_INVALID', `k must be a non-negative integer, got ${options.k}`, {
      field: 'k',
      hint: 'Ask for the number of examples to put in the prompt, e.g. k: 5.',
    });
  }
  if (!(lambda >= 0 && lambda <= 1)) {
    throw new FerryError('INPUT_INVALID', `lambda must be between 0 and 1, got ${lambda}`, {
      field: 'lambda',
      hint: 'Use 1 for relevance only, 0.5 (the default) for a balance, lower for more variety.',
    });
  }
  if (options.poolSize !== undefined && (!Number.isInteger(options.poolSize) || options.poolSize < 1)) {
    throw new FerryError('INPUT_INVALID', `poolSize must be a positive integer, got ${options.poolSize}`, {
      field: 'poolSize',
      hint: 'Leave it out for the default, max(20, 4k).',
    });
  }
  return { k: options.k, lambda };
}
