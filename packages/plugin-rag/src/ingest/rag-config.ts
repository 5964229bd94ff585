import { circuitBreakerOptionsSchema } from '@ferry/core';
import { z } from 'zod';
import { DEFAULT_CONTEXT_CHUNKS, DEFAULT_MIN_EVIDENCE } from '../answer/answerer.js';

const modelRef = z.string().regex(/^[a-z0-9][a-z0-9-]*:.+$/, 'must be a model reference "provider:model", e.g. "offline:hash-384"');

/** The rag plugin's config section (also what the `ferry rag` commands build from their flags). */
export const ragConfigSchema = z.strictObject({
  store: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('embedded'), dir: z.string().min(1).default('.ferry/rag/vectors') }),
      z.strictObject({ kind: z.literal('chroma'), url: z.url(), /** Longest wait for one Chroma call (10 s by default). */ timeoutMs: z.number().int().min(1).optional() }),
    ])
    .default({ kind: 'embedded', dir: '.ferry/rag/vectors' }),
  collection: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{1,510}[a-zA-Z0-9]$/, 'use 3 to 512 letters, digits, ".", "_" or "-", starting and ending with a letter or digit')
    .default('knowledge-base'),
  /** Manifest and BM25 keyword index of the collection. */
  stateDir: z.string().min(1).default('.ferry/rag/state'),
  /** Folder `ingest()` reads when called without one. */
  root: z.string().min(1).optional(),
  include: z.array(z.string().min(1)).optional(),
  exclude: z.array(z.string().min(1)).optional(),
  /** Ingest through links that lead out of `root`; off, they are skipped as unreadable, so a planted link cannot pull in files from elsewhere. */
  followLinksOutsideRoot: z.boolean().default(false),
  embedder: modelRef.default('offline:hash-384'),
  generator: modelRef.default('offline:extractive'),
  split: z
    .strictObject({
      strategy: z.enum(['recursive', 'markdown', 'sentence', 'token']).optional(),
      chunkSize: z.number().int().positive().default(1000),
      chunkOverlap: z.number().int().nonnegative().default(200),
    })
    .refine((s) => s.chunkOverlap < s.chunkSize, { message: 'chunkOverlap must be smaller than chunkSize', path: ['chunkOverlap'] })
    .default({ chunkSize: 1000, chunkOverlap: 200 }),
  retrieval: z
    .strictObject({
      mode: z.enum(['hybrid', 'vector', 'bm25']).default('hybrid'),
      /** RRF constant and list weights; unset, they follow the embedder (see README: offline embedders lean on BM25). */
      rrfK: z.number().positive().optional(),
      weights: z.strictObject({ vector: z.number().min(0).default(1), bm25: z.number().min(0).default(1) }).optional(),
      candidates: z.number().int().positive().default(50),
      mmr: z.strictObject({ lambda: z.number().min(0).max(1).default(0.5), fetchK: z.number().int().positive().default(20) }).optional(),
    })
    .default({ mode: 'hybrid', candidates: 50 }),
  answer: z
    .strictObject({
      k: z.number().int().min(1).max(100).default(DEFAULT_CONTEXT_CHUNKS),
      minEvidence: z.number().min(0).max(1).default(DEFAULT_MIN_EVIDENCE),
      maxTokens: z.number().int().positive().optional(),
      /** Use @ferry/plugin-prompt's template and injection guard when it is installed. */
      usePromptPlugin: z.boolean().default(true),
      /** Limit on one answer's generation, retries included; the provider's timeoutMs bounds each attempt. None by default. */
      generatorTimeoutMs: z.number().int().positive().optional(),
      /** Circuit breaker around the generator: after `failures` failures in a row, calls fail fast for `cooldownMs`, then one trial passes. */
      breaker: circuitBreakerOptionsSchema.optional(),
      /** When the generator fails: 'error' throws; 'extractive' answers from the retrieved passages with the offline extractive answerer, marked degraded. */
      fallback: z.enum(['error', 'extractive']).default('error'),
    })
    .default({ k: DEFAULT_CONTEXT_CHUNKS, minEvidence: DEFAULT_MIN_EVIDENCE, usePromptPlugin: true, fallback: 'error' }),
});

export type RagConfigInput = z.input<typeof ragConfigSchema>;
export type RagConfig = z.output<typeof ragConfigSchema>;

/**
 * Fusion settings for an embedder whose metadata says it is not neural
 * (offline:hash-*): its vectors carry only lexical signal, so BM25 leads.
 * On XQuAD-en (bench/rag/quality.bench.mjs) RRF k=10 with BM25 weighted 2:1
 * lifted hybrid hit@5 from 0.959 (k=60, 1:1) to 0.984, BM25's own figure.
 */
export const LEXICAL_EMBEDDER_FUSION = { rrfK: 10, weights: { vector: 1, bm25: 2 } } as const;
