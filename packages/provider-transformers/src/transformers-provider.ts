import { createLogger, FerryError, fromZodError, type Logger, type ModelByTask, type ModelProvider, type ModelTask } from '@ferry/core';
import type { z } from 'zod';
import { createClipEmbedder } from './clip-image-embedder.js';
import type { ProviderContext } from './model-runtime.js';
import { createTextClassifier } from './text-classifier.js';
import { createGenerator } from './text-generator.js';
import { createEmbedder } from './transformers-embedder.js';
import {
  classificationOptionsSchema,
  embeddingOptionsSchema,
  generationOptionsSchema,
  imageEmbeddingOptionsSchema,
  transformersConfigSchema,
  type TransformersConfig,
} from './transformers-config.js';
import { createZeroShotClassifier } from './zero-shot-classifier.js';

export const TRANSFORMERS_TASKS = ['embedding', 'text-generation', 'classification', 'image-embedding'] as const satisfies readonly ModelTask[];

/**
 * The `transformers:` provider: ONNX models run in process by transformers.js
 * on onnxruntime-node. `transformers:<folder or hub id>`; per-model options
 * (device, dtype, pooling, labels...) come from the app's model entry.
 */
export function createTransformersProvider(config: TransformersConfig = {}, options: { logger?: Logger } = {}): ModelProvider {
  const parsed = transformersConfigSchema.safeParse(config);
  if (!parsed.success) {
    throw fromZodError('CONFIG_INVALID', parsed.error, { what: 'the transformers provider config', plugin: '@ferry/provider-transformers' });
  }
  const ctx: ProviderContext = {
    config: { ...parsed.data, baseDir: parsed.data.baseDir ?? process.cwd() },
    logger: options.logger ?? createLogger('transformers'),
  };
  return {
    name: 'transformers',
    description: `ONNX models in process through transformers.js (${parsed.data.allowRemote ? 'hub downloads allowed' : 'local folders only'}, device ${parsed.data.device}, ${parsed.data.dtype})`,
    tasks: TRANSFORMERS_TASKS,
    async create<T extends ModelTask>(task: T, model: string, modelOptions: Record<string, unknown> = {}): Promise<ModelByTask[T]> {
      return (await createModel(ctx, task, model, modelOptions)) as ModelByTask[T];
    },
  };
}

async function createModel(ctx: ProviderContext, task: ModelTask, model: string, options: Record<string, unknown>): Promise<ModelByTask[ModelTask]> {
  switch (task) {
    case 'embedding':
      return createEmbedder(ctx, model, parseOptions(embeddingOptionsSchema, model, options));
    case 'text-generation':
      return createGenerator(ctx, model, parseOptions(generationOptionsSchema, model, options));
    case 'classification': {
      const o = parseOptions(classificationOptionsSchema, model, options);
      return o.labels === undefined ? createTextClassifier(ctx, model, o) : createZeroShotClassifier(ctx, model, { ...o, labels: o.labels });
    }
    case 'image-embedding':
      return createClipEmbedder(ctx, model, parseOptions(imageEmbeddingOptionsSchema, model, options));
    default:
      throw new FerryError('MODEL_TASK_UNSUPPORTED', `the transformers provider has no ${task} models (it serves: ${TRANSFORMERS_TASKS.join(', ')})`, {
        field: 'model',
        hint: `Use a provider with ${task} models, e.g. "openai:".`,
      });
  }
}

function parseOptions<S extends z.ZodType>(schema: S, model: string, options: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(options);
  if (!parsed.success) throw fromZodError('CONFIG_INVALID', parsed.error, { what: `the options of transformers:${model}`, fieldPrefix: 'options' });
  return parsed.data;
}
