import { z } from 'zod';

export const DEVICES = ['cpu', 'cuda', 'auto'] as const;
export const DTYPES = ['fp32', 'q8'] as const;

export type TransformersDevice = (typeof DEVICES)[number];
export type TransformersDtype = (typeof DTYPES)[number];

/**
 * Settings of the `transformers:` provider (the plugin's config section).
 * `device`, `dtype` and `batchSize` are defaults each model's options may override.
 */
export const transformersConfigSchema = z.strictObject({
  /** Off by default: models load only from local folders or `cacheDir`, never the network. */
  allowRemote: z.boolean().default(false),
  /** Where hub downloads are cached; also searched for hub ids when `allowRemote` is off. */
  cacheDir: z.string().min(1).optional(),
  /** `auto` uses CUDA when onnxruntime-node can start it, else CPU with a warning. */
  device: z.enum(DEVICES).default('cpu'),
  /** `q8` loads `onnx/<name>_quantized.onnx` (int8 weights). */
  dtype: z.enum(DTYPES).default('fp32'),
  /** Texts per forward pass of an embedder; concurrent `embed` calls share batches. */
  batchSize: z.number().int().min(1).max(4096).default(32),
  /** Folder that relative model paths are resolved against; the plugin sets it to the app folder. */
  baseDir: z.string().min(1).optional(),
});

export type TransformersConfig = z.input<typeof transformersConfigSchema>;
export type ResolvedTransformersConfig = z.output<typeof transformersConfigSchema>;

const runtimeOptions = {
  device: z.enum(DEVICES).optional(),
  dtype: z.enum(DTYPES).optional(),
};

export const embeddingOptionsSchema = z.strictObject({
  ...runtimeOptions,
  /** `none` is for models whose output is already one vector per text. */
  pooling: z.enum(['mean', 'cls', 'none']).default('mean'),
  normalize: z.boolean().default(true),
  batchSize: z.number().int().min(1).max(4096).optional(),
});

export const generationOptionsSchema = z.strictObject({
  ...runtimeOptions,
  /** Used when a call gives no `maxTokens`. */
  maxTokens: z.number().int().min(1).max(1_000_000).default(256),
});

export const classificationOptionsSchema = z.strictObject({
  ...runtimeOptions,
  /** Candidate labels: given, the model is used as a zero-shot (NLI) classifier over them. */
  labels: z.array(z.string().min(1)).min(1).optional(),
  /** Zero-shot hypothesis; `{}` is replaced by each label. */
  hypothesisTemplate: z
    .string()
    .refine((t) => t.includes('{}'), { message: 'must contain "{}" where the label goes' })
    .default('This example is {}.'),
  /** Zero-shot: score each label on its own (entailment vs contradiction) instead of a softmax over labels. */
  multiLabel: z.boolean().default(false),
});

export const imageEmbeddingOptionsSchema = z.strictObject({
  ...runtimeOptions,
  normalize: z.boolean().default(true),
  batchSize: z.number().int().min(1).max(4096).optional(),
});

export type EmbeddingOptions = z.output<typeof embeddingOptionsSchema>;
export type GenerationOptions = z.output<typeof generationOptionsSchema>;
export type ClassificationOptions = z.output<typeof classificationOptionsSchema>;
export type ImageEmbeddingOptions = z.output<typeof imageEmbeddingOptionsSchema>;
