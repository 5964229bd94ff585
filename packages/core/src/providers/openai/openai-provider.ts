import type { z } from 'zod';
import { FerryError, fromZodError } from '../../errors/ferry-error.js';
import type { AnyModel, ModelByTask, ModelMetadata, ModelProvider, ModelTask } from '../../models/model-types.js';
import { displayURL } from './endpoint-url.js';
import { OpenAIChatModel } from './openai-chat-model.js';
import { OpenAIClient } from './openai-client.js';
import { OpenAIEmbeddingModel } from './openai-embedding-model.js';
import { OpenAIImageModel } from './openai-image-model.js';
import {
  openAIChatOptionsSchema,
  openAIEmbeddingOptionsSchema,
  openAIImageOptionsSchema,
  openAISpeechToTextOptionsSchema,
} from './openai-model-options.js';
import { resolveOpenAIConfig, type OpenAIClientSettings, type OpenAIProviderConfig } from './openai-provider-config.js';
import { OpenAISpeechToTextModel } from './openai-speech-to-text-model.js';

const OPENAI_TASKS = ['text-generation', 'embedding', 'image-generation', 'speech-to-text'] as const satisfies readonly ModelTask[];

/**
 * The built-in `openai` provider: any OpenAI-compatible endpoint (OpenAI,
 * vLLM, Ollama, llama.cpp server). `openai:<model>` names the model as the
 * server knows it; the config (validated here, environment applied) says
 * where the server is and how patiently to talk to it.
 */
export function createOpenAIProvider(config: OpenAIProviderConfig = {}): ModelProvider {
  const settings = resolveOpenAIConfig(config, process.env);
  const where = displayURL(new URL(settings.baseURL));
  return {
    name: 'openai',
    description: `Any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama.cpp server), here ${where}`,
    tasks: OPENAI_TASKS,
    async create<T extends ModelTask>(task: T, model: string, options: Record<string, unknown> = {}): Promise<ModelByTask[T]> {
      return createModel(settings, where, task, model, options) as ModelByTask[T];
    },
  };
}

function createModel(settings: OpenAIClientSettings, where: string, task: ModelTask, model: string, options: Record<string, unknown>): AnyModel {
  const metadata = (extra: Partial<ModelMetadata>): ModelMetadata => ({
    provider: 'openai',
    model,
    ref: `openai:${model}`,
    task,
    neural: true,
    description: `${model} (${task}) served at ${where}`,
    ...extra,
  });

  switch (task) {
    case 'text-generation': {
      const o = parseOptions(openAIChatOptionsSchema, model, options);
      return new OpenAIChatModel(clientFor(settings, o), metadata(defined({ contextLength: o.contextLength })), o);
    }
    case 'embedding': {
      const o = parseOptions(openAIEmbeddingOptionsSchema, model, options);
      return new OpenAIEmbeddingModel(clientFor(settings, o), metadata(defined({ contextLength: o.contextLength, dims: o.dims })), o);
    }
    case 'image-generation': {
      const o = parseOptions(openAIImageOptionsSchema, model, options);
      return new OpenAIImageModel(clientFor(settings, o), metadata({}), o);
    }
    case 'speech-to-text': {
      const o = parseOptions(openAISpeechToTextOptionsSchema, model, options);
      return new OpenAISpeechToTextModel(clientFor(settings, o), metadata({}), o);
    }
    default:
      throw new FerryError('MODEL_TASK_UNSUPPORTED', `the openai provider has no ${task} models (it serves: ${OPENAI_TASKS.join(', ')})`, {
        field: 'model',
        hint: `Use a provider with ${task} models, e.g. "transformers:" or "offline:".`,
      });
  }
}

/** A model's own time limit and retries replace the provider's. */
function clientFor(
  settings: OpenAIClientSettings,
  o: { timeoutMs?: number | undefined; maxRetries?: number | undefined; streamIdleTimeoutMs?: number | undefined },
): OpenAIClient {
  return new OpenAIClient({
    ...settings,
    timeoutMs: o.timeoutMs ?? settings.timeoutMs,
    maxRetries: o.maxRetries ?? settings.maxRetries,
    streamIdleTimeoutMs: o.streamIdleTimeoutMs ?? settings.streamIdleTimeoutMs,
  });
}

function parseOptions<S extends z.ZodType>(schema: S, model: string, options: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(options);
  if (!parsed.success) throw fromZodError('CONFIG_INVALID', parsed.error, { what: `the options of openai:${model}`, fieldPrefix: 'options' });
  return parsed.data;
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
