import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FerryError, fromZodError } from '@ferry/core';
import { z } from 'zod';

/** model_type values whose checkpoints share the Llama tensor layout. */
export const SUPPORTED_MODEL_TYPES = ['llama', 'mistral', 'qwen2'] as const;

const ropeScalingSchema = z
  .looseObject({
    rope_type: z.string().optional(),
    type: z.string().optional(),
    factor: z.number().positive().optional(),
    low_freq_factor: z.number().positive().optional(),
    high_freq_factor: z.number().positive().optional(),
    original_max_position_embeddings: z.number().int().positive().optional(),
  })
  .nullable()
  .optional();

/** The subset of a Hugging Face config.json the engine reads; other keys are ignored. */
export const llamaConfigSchema = z.looseObject({
  model_type: z.string(),
  hidden_size: z.number().int().positive(),
  intermediate_size: z.number().int().positive(),
  num_hidden_layers: z.number().int().positive(),
  num_attention_heads: z.number().int().positive(),
  num_key_value_heads: z.number().int().positive().optional(),
  head_dim: z.number().int().positive().nullable().optional(),
  vocab_size: z.number().int().positive(),
  max_position_embeddings: z.number().int().positive().default(2048),
  rms_norm_eps: z.number().positive().default(1e-6),
  rope_theta: z.number().positive().default(10000),
  rope_scaling: ropeScalingSchema,
  tie_word_embeddings: z.boolean().default(false),
  attention_bias: z.boolean().optional(),
  hidden_act: z.string().default('silu'),
  bos_token_id: z.union([z.number().int(), z.array(z.number().int())]).nullable().optional(),
  eos_token_id: z.union([z.number().int(), z.array(z.number().int())]).nullable().optional(),
});

export type RopeScaling =
  | { type: 'linear'; factor: number }
  | { type: 'llama3'; factor: number; lowFreqFactor: number; highFreqFactor: number; originalMaxPositions: number };

/** A validated, normalised model shape. */
export interface LlamaConfig {
  modelType: (typeof SUPPORTED_MODEL_TYPES)[number];
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  vocabSize: number;
  maxPositions: number;
  rmsNormEps: number;
  ropeTheta: number;
  ropeScaling: RopeScaling | null;
  tieWordEmbeddings: boolean;
  /** Qwen2 always has q/k/v biases; Llama only with attention_bias. */
  qkvBias: boolean;
  /** attention_bias also puts a bias on o_proj (Llama); Qwen2 never has one. */
  oBias: boolean;
  bosTokenId: number | undefined;
  eosTokenIds: number[];
}

function invalid(file: string, field: string, message: string, hint: string): FerryError {
  return new FerryError('INPUT_INVALID', `${file}: ${message}`, { field, hint, details: { file } });
}

/** Validates raw config.json content; `file` names it in errors. */
export function parseLlamaConfig(raw: unknown, file: string): LlamaConfig {
  const parsed = llamaConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw fromZodError('INPUT_INVALID', parsed.error, { what: file, hint: `Fix ${file}: it must be a Hugging Face Llama-family config (hidden_size, num_hidden_layers, ...).` });
  }
  const c = parsed.data;
  if (!(SUPPORTED_MODEL_TYPES as readonly string[]).includes(c.model_type)) {
    throw new FerryError('MODEL_TASK_UNSUPPORTED', `${file}: model_type "${c.model_type}" is not a Llama-family architecture`, {
      field: 'model_type',
      hint: `@ferry/llama runs ${SUPPORTED_MODEL_TYPES.join(', ')} checkpoints; use transformers: (ONNX) for other architectures.`,
      details: { file, modelType: c.model_type },
    });
  }
  if (c.hidden_act !== 'silu') throw invalid(file, 'hidden_act', `hidden_act "${c.hidden_act}" is not supported`, 'Llama-family models use "silu" (SwiGLU).');
  const numKvHeads = c.num_key_value_heads ?? c.num_attention_heads;
  if (c.num_attention_heads % numKvHeads !== 0) {
    throw invalid(file, 'num_key_value_heads', `num_attention_heads ${c.num_attention_heads} is not a multiple of num_key_value_heads ${numKvHeads}`, 'Check the config against the checkpoint.');
  }
  const headDim = c.head_dim ?? c.hidden_size / c.num_attention_heads;
  if (!Number.isInteger(headDim) || headDim % 2 !== 0) {
    throw invalid(file, 'head_dim', `head dimension ${headDim} is not an even whole number`, 'Set head_dim, or make hidden_size divisible by num_attention_heads with an even quotient.');
  }
  const eos = c.eos_token_id ?? [];
  const bos = Array.isArray(c.bos_token_id) ? c.bos_token_id[0] : c.bos_token_id;
  return {
    modelType: c.model_type as LlamaConfig['modelType'],
    hiddenSize: c.hidden_size,
    intermediateSize: c.intermediate_size,
    numLayers: c.num_hidden_layers,
    numHeads: c.num_attention_heads,
    numKvHeads,
    headDim,
    vocabSize: c.vocab_size,
    maxPositions: c.max_position_embeddings,
    rmsNormEps: c.rms_norm_eps,
    ropeTheta: c.rope_theta,
    ropeScaling: parseRopeScaling(c.rope_scaling ?? null, file),
    tieWordEmbeddings: c.tie_word_embeddings,
    qkvBias: c.model_type === 'qwen2' || c.attention_bias === true,
    oBias: c.model_type !== 'qwen2' && c.attention_bias === true,
    bosTokenId: bos ?? undefined,
    eosTokenIds: Array.isArray(eos) ? eos : [eos],
  };
}

function parseRopeScaling(raw: z.output<typeof ropeScalingSchema>, file: string): RopeScaling | null {
  if (!raw) return null;
  const kind = raw.rope_type ?? raw.type;
  if (kind === undefined || kind === 'default') return null;
  const need = (key: keyof typeof raw): number => {
    const value = raw[key];
    if (typeof value !== 'number') throw invalid(file, `rope_scaling.${String(key)}`, `rope_scaling of type "${kind}" has no ${String(key)}`, `Add rope_scaling.${String(key)} as in the model's original config.`);
    return value;
  };
  if (kind === 'linear') return { type: 'linear', factor: need('factor') };
  if (kind === 'llama3') {
    return {
      type: 'llama3',
      factor: need('factor'),
      lowFreqFactor: need('low_freq_factor'),
      highFreqFactor: need('high_freq_factor'),
      originalMaxPositions: need('original_max_position_embeddings'),
    };
  }
  throw invalid(file, 'rope_scaling.rope_type', `rope_scaling type "${kind}" is not supported`, 'Supported: linear and llama3 (or no rope_scaling).');
}

/** Reads and validates `<folder>/config.json`. */
export async function readLlamaConfig(folder: string): Promise<LlamaConfig> {
  const file = join(folder, 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new FerryError('MODEL_NOT_FOUND', `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
      field: 'config.json',
      hint: 'Point at a Hugging Face model folder holding config.json, model.safetensors (or an index and shards) and tokenizer.json.',
      details: { file, folder },
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw invalid(file, 'config.json', `is not JSON (${(error as Error).message})`, 'Restore config.json from the model repository.');
  }
  return parseLlamaConfig(raw, file);
}
