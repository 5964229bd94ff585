import { z } from 'zod';
import { finetuneError } from '../finetune-error.js';
import { LORA_TARGET_MODULES, type LoraTargetModule } from './lora-config.js';

/** The shape facts of a Llama-family decoder that parameter counts depend on (Hugging Face config names, camelCased). */
export const llamaLikeConfigSchema = z
  .object({
    hiddenSize: z.number().int().positive(),
    intermediateSize: z.number().int().positive(),
    numHiddenLayers: z.number().int().positive(),
    numAttentionHeads: z.number().int().positive(),
    /** Defaults to numAttentionHeads (no grouped-query attention). */
    numKeyValueHeads: z.number().int().positive().optional(),
    /** Defaults to hiddenSize / numAttentionHeads. */
    headDim: z.number().int().positive().optional(),
    vocabSize: z.number().int().positive(),
    tieWordEmbeddings: z.boolean().default(false),
    /** Qwen2 puts biases on q, k and v. */
    attentionBias: z.boolean().default(false),
  })
  .strict();

export type LlamaLikeConfigInput = z.input<typeof llamaLikeConfigSchema>;
export type LlamaLikeConfig = z.output<typeof llamaLikeConfigSchema>;

/** `[out, in]` of each linear layer of one decoder block. */
export function linearShapes(input: LlamaLikeConfigInput): Record<LoraTargetModule, [number, number]> {
  const c = parseModelConfig(input);
  const headDim = c.headDim ?? c.hiddenSize / c.numAttentionHeads;
  const kvHeads = c.numKeyValueHeads ?? c.numAttentionHeads;
  const q = c.numAttentionHeads * headDim;
  const kv = kvHeads * headDim;
  return {
    q: [q, c.hiddenSize],
    k: [kv, c.hiddenSize],
    v: [kv, c.hiddenSize],
    o: [c.hiddenSize, q],
    gate: [c.intermediateSize, c.hiddenSize],
    up: [c.intermediateSize, c.hiddenSize],
    down: [c.hiddenSize, c.intermediateSize],
  };
}

/** Parameters of the base model: embeddings, every block (linears, biases, two RMSNorms), final norm, untied head. */
export function baseParameterCount(input: LlamaLikeConfigInput): number {
  const c = parseModelConfig(input);
  const shapes = linearShapes(c);
  const linears = LORA_TARGET_MODULES.reduce((sum, m) => sum + shapes[m][0] * shapes[m][1], 0);
  const biases = c.attentionBias ? shapes.q[0] + shapes.k[0] + shapes.v[0] : 0;
  const block = linears + biases + 2 * c.hiddenSize;
  const embeddings = c.vocabSize * c.hiddenSize;
  return embeddings + c.numHiddenLayers * block + c.hiddenSize + (c.tieWordEmbeddings ? 0 : embeddings);
}

export interface ParameterReport {
  trainable: number;
  /** Every parameter of the trained model; with LoRA it includes the adapters, as PEFT counts. */
  all: number;
  /** 100 * trainable / all. */
  percent: number;
  /** PEFT's `print_trainable_parameters` line. */
  text: string;
}

/**
 * What PEFT's `print_trainable_parameters()` prints for `get_peft_model(model,
 * LoraConfig(r, target_modules))`, computed from the config alone. Each adapted
 * linear `[out, in]` adds `r * (in + out)` (A `[r, in]`, B `[out, r]`).
 */
export function loraParameterReport(model: LlamaLikeConfigInput, lora: { r: number; targetModules: readonly LoraTargetModule[] }): ParameterReport {
  if (!Number.isInteger(lora.r) || lora.r <= 0) {
    throw finetuneError('lora.r', `r must be a positive integer, got ${String(lora.r)}`, 'Use the LoRA rank, e.g. 8 or 16.');
  }
  const c = parseModelConfig(model);
  const shapes = linearShapes(c);
  const perBlock = [...new Set(lora.targetModules)].reduce((sum, m) => sum + lora.r * (shapes[m][0] + shapes[m][1]), 0);
  const trainable = perBlock * c.numHiddenLayers;
  return report(trainable, baseParameterCount(c) + trainable);
}

/** Full fine-tuning: every base parameter is trainable. */
export function fullParameterReport(model: LlamaLikeConfigInput): ParameterReport {
  const all = baseParameterCount(model);
  return report(all, all);
}

function report(trainable: number, all: number): ParameterReport {
  const percent = (100 * trainable) / all;
  const grouped = (n: number): string => n.toLocaleString('en-US');
  return { trainable, all, percent, text: `trainable params: ${grouped(trainable)} || all params: ${grouped(all)} || trainable%: ${percent.toFixed(4)}` };
}

function parseModelConfig(input: LlamaLikeConfigInput): LlamaLikeConfig {
  const parsed = llamaLikeConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw finetuneError(`model.${issue?.path.join('.') ?? ''}`, `invalid model config: ${issue?.message ?? parsed.error.message}`, 'Give hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads and vocabSize as positive integers.', { code: 'CONFIG_INVALID' });
  }
  const c = parsed.data;
  if (c.headDim === undefined && c.hiddenSize % c.numAttentionHeads !== 0) {
    throw finetuneError('model.headDim', `hiddenSize ${c.hiddenSize} is not a multiple of numAttentionHeads ${c.numAttentionHeads}`, 'Give headDim explicitly.', { code: 'CONFIG_INVALID' });
  }
  if (c.numKeyValueHeads !== undefined && c.numAttentionHeads % c.numKeyValueHeads !== 0) {
    throw finetuneError('model.numKeyValueHeads', `numAttentionHeads ${c.numAttentionHeads} is not a multiple of numKeyValueHeads ${c.numKeyValueHeads}`, 'Use a divisor of numAttentionHeads.', { code: 'CONFIG_INVALID' });
  }
  return c;
}
