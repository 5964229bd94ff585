import { z } from 'zod';
import { FerryError, fromZodError } from '../../errors/ferry-error.js';
import type { AnyModel, ModelByTask, ModelMetadata, ModelProvider, ModelTask } from '../../models/model-types.js';
import { CENTROID_CLASSIFIER_METADATA, CentroidClassifier } from './centroid-classifier.js';
import { EXTRACTIVE_ANSWERER_METADATA, ExtractiveAnswerer } from './extractive-answerer.js';
import { assertHashDims, DEFAULT_HASH_DIMS, hashingEmbedderMetadata, HashingEmbedder } from './hashing-embedder.js';
import { KEYWORD_CLASSIFIER_METADATA, KeywordClassifier } from './keyword-classifier.js';

const OFFLINE_TASKS = ['embedding', 'text-generation', 'classification'] as const satisfies readonly ModelTask[];

type OfflineTask = (typeof OFFLINE_TASKS)[number];

const HASH_MODEL = /^hash(?:-(\d+))?$/;

/** Every model id, for error hints: the embedder takes any dims, written `hash-<dims>`. */
const MODEL_IDS: Record<OfflineTask, readonly string[]> = {
  embedding: ['hash', 'hash-<dims>'],
  'text-generation': ['extractive'],
  classification: ['centroid', 'keyword'],
};

const noOptionsSchema = z.strictObject({});

/**
 * The built-in `offline` provider: deterministic models that need no
 * weights and no network, so every app runs anywhere (tests, CI, an
 * air-gapped laptop). Each says `neural: false` in its metadata.
 *
 * - `offline:hash` / `offline:hash-<dims>` (16..8192, default 384): feature-hashing embedder.
 * - `offline:extractive`: answers by quoting the grounding documents, with citations.
 * - `offline:centroid`: nearest-centroid classifier, trained by `fit` or `{ examples }`.
 * - `offline:keyword`: keyword-rule classifier, `{ rules: { label: [keywords] }, fallback? }`.
 */
export function createOfflineProvider(): ModelProvider {
  return {
    name: 'offline',
    description: 'Deterministic models that need no weights or network (feature hashing, extraction, rules); none is neural',
    tasks: OFFLINE_TASKS,
    async create<T extends ModelTask>(task: T, model: string, options: Record<string, unknown> = {}): Promise<ModelByTask[T]> {
      return createModel(task, model, options) as ModelByTask[T];
    },
    listModels: (): ModelMetadata[] => [
      hashingEmbedderMetadata(DEFAULT_HASH_DIMS),
      EXTRACTIVE_ANSWERER_METADATA,
      CENTROID_CLASSIFIER_METADATA,
      KEYWORD_CLASSIFIER_METADATA,
    ],
  };
}

function createModel(task: ModelTask, model: string, options: Record<string, unknown>): AnyModel {
  if (!isOfflineTask(task)) {
    throw new FerryError('MODEL_TASK_UNSUPPORTED', `the offline provider has no ${task} models (it serves: ${OFFLINE_TASKS.join(', ')})`, {
      field: 'model',
      hint: `Use a provider with ${task} models, e.g. "transformers:" or "openai:".`,
    });
  }
  const owner = taskOfModel(model);
  if (owner === undefined) {
    throw new FerryError('MODEL_NOT_FOUND', `the offline provider has no model "${model}"`, {
      field: 'model',
      hint: `Use one of the offline ${task} models: ${MODEL_IDS[task].map((id) => `"offline:${id}"`).join(', ')}.`,
    });
  }
  if (owner !== task) {
    throw new FerryError('MODEL_TASK_UNSUPPORTED', `"offline:${model}" is a ${owner} model, not a ${task} model`, {
      field: 'model',
      hint: `For ${task}, use ${MODEL_IDS[task].map((id) => `"offline:${id}"`).join(' or ')}.`,
    });
  }

  switch (model) {
    case 'extractive':
      return new ExtractiveAnswerer(options);
    case 'centroid':
      return new CentroidClassifier(options);
    case 'keyword':
      return new KeywordClassifier(options as ConstructorParameters<typeof KeywordClassifier>[0]);
    default:
      return createHashingEmbedder(model, options);
  }
}

function createHashingEmbedder(model: string, options: Record<string, unknown>): HashingEmbedder {
  const parsed = noOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw fromZodError('INPUT_INVALID', parsed.error, {
      what: `offline:${model} options`,
      fieldPrefix: 'options',
      hint: `offline:${model} takes no options; set the dimensions in the model id instead, e.g. "offline:hash-${DEFAULT_HASH_DIMS}".`,
    });
  }
  const digits = HASH_MODEL.exec(model)?.[1];
  const dims = digits === undefined ? DEFAULT_HASH_DIMS : Number(digits);
  assertHashDims(dims, 'model');
  return new HashingEmbedder(dims);
}

function taskOfModel(model: string): OfflineTask | undefined {
  if (HASH_MODEL.test(model)) return 'embedding';
  if (model === 'extractive') return 'text-generation';
  if (model === 'centroid' || model === 'keyword') return 'classification';
  return undefined;
}

function isOfflineTask(task: ModelTask): task is OfflineTask {
  return (OFFLINE_TASKS as readonly ModelTask[]).includes(task);
}
