import { FerryError, type Embedder, type FerryHost, type TextGenerator } from '@ferry/core';
import { refusePathModelRef } from './request-model-ref.js';

export interface ListedModel {
  id: string;
  /** Where it comes from: an alias of the app config, a direct model, or a provider's catalogue. */
  ownedBy: string;
}

/** How the OpenAI-compatible routes find a model by the request's `model` field. */
export interface ModelSource {
  textGenerator(name: string): Promise<TextGenerator>;
  embedder(name: string): Promise<Embedder>;
  list(): ListedModel[];
}

/** Aliases from the app's ferry config, or any `provider:model` reference a registered provider serves, unless its model part is a path. */
export function hostModelSource(host: FerryHost): ModelSource {
  return {
    textGenerator: async (name) => {
      refusePathModelRef(name);
      return host.model('text-generation', name);
    },
    embedder: async (name) => {
      refusePathModelRef(name);
      return host.model('embedding', name);
    },
    list: () => [
      ...Object.keys(host.config.models).map((id) => ({ id, ownedBy: 'ferry-config' })),
      ...host.models.listModels().map((m) => ({ id: m.ref, ownedBy: m.provider })),
    ],
  };
}

export interface DirectModels {
  textGenerators?: Record<string, TextGenerator>;
  embedders?: Record<string, Embedder>;
}

/** Models handed over as objects, for apps that build them without a host. */
export function directModelSource(models: DirectModels): ModelSource {
  const find = <T>(table: Record<string, T> | undefined, name: string, task: string): T => {
    const model = table && Object.hasOwn(table, name) ? table[name] : undefined;
    if (model === undefined) {
      const known = Object.keys(table ?? {});
      throw new FerryError('MODEL_NOT_FOUND', `no ${task} model named "${name}" on this server`, {
        field: 'model',
        hint: known.length > 0 ? `Use one of: ${known.join(', ')}.` : `This server has no ${task} models; configure some in createFerryServer's models option.`,
      });
    }
    return model;
  };
  return {
    textGenerator: async (name) => find(models.textGenerators, name, 'text-generation'),
    embedder: async (name) => find(models.embedders, name, 'embedding'),
    list: () => [
      ...Object.keys(models.textGenerators ?? {}).map((id) => ({ id, ownedBy: 'app' })),
      ...Object.keys(models.embedders ?? {}).map((id) => ({ id, ownedBy: 'app' })),
    ],
  };
}
