import { FerryError } from '../errors/ferry-error.js';
import { parseModelRef } from './model-ref.js';
import type { ModelByTask, ModelMetadata, ModelProvider, ModelTask } from './model-types.js';

interface ProviderEntry {
  provider: ModelProvider;
  /** Plugin that registered it, for error messages and `ferry plugins`. */
  owner: string;
}

/**
 * Resolves `provider:model` references to model instances. Instances are
 * cached per (task, ref, options) so two pipelines that name the same model
 * share one loaded copy of its weights.
 */
export class ModelRegistry {
  private readonly providers = new Map<string, ProviderEntry>();
  private readonly instances = new Map<string, Promise<ModelByTask[ModelTask]>>();

  registerProvider(provider: ModelProvider, owner = 'app'): void {
    const existing = this.providers.get(provider.name);
    if (existing) {
      throw new FerryError('MODEL_DUPLICATE', `model provider "${provider.name}" is already registered by "${existing.owner}"`, {
        plugin: owner,
        field: 'provider.name',
        hint: `Give the provider another prefix, or remove one of the two plugins that both register "${provider.name}".`,
      });
    }
    this.providers.set(provider.name, { provider, owner });
  }

  hasProvider(name: string): boolean {
    return this.providers.has(name);
  }

  listProviders(): Array<{ name: string; owner: string; tasks: readonly ModelTask[]; description?: string }> {
    return [...this.providers.values()].map(({ provider, owner }) => ({
      name: provider.name,
      owner,
      tasks: provider.tasks,
      ...(provider.description === undefined ? {} : { description: provider.description }),
    }));
  }

  listModels(): ModelMetadata[] {
    return [...this.providers.values()].flatMap(({ provider }) => provider.listModels?.() ?? []);
  }

  async resolve<T extends ModelTask>(task: T, ref: string, options?: Record<string, unknown>): Promise<ModelByTask[T]> {
    const { provider: prefix, model } = parseModelRef(ref);
    const entry = this.providers.get(prefix);
    if (!entry) {
      const known = [...this.providers.keys()].join(', ') || '(none)';
      throw new FerryError('MODEL_PROVIDER_UNKNOWN', `no provider is registered for "${prefix}" (model reference "${ref}")`, {
        field: 'model',
        hint: `Use one of the registered providers (${known}), or add the plugin that provides "${prefix}:" to your ferry config.`,
      });
    }
    if (!entry.provider.tasks.includes(task)) {
      throw new FerryError('MODEL_TASK_UNSUPPORTED', `provider "${prefix}" does not serve ${task} models (it serves: ${entry.provider.tasks.join(', ')})`, {
        plugin: entry.owner,
        field: 'model',
        hint: `Pick a ${task} model from a provider that has one, e.g. "offline:" for every task it lists.`,
      });
    }
    const key = `${task}\u0000${ref}\u0000${stableJson(options ?? {})}`;
    let pending = this.instances.get(key);
    if (!pending) {
      pending = entry.provider.create(task, model, options);
      this.instances.set(key, pending);
      // A failed load must not poison the cache: the next call retries.
      pending.catch(() => this.instances.delete(key));
    }
    return pending as Promise<ModelByTask[T]>;
  }

  textGenerator(ref: string, options?: Record<string, unknown>): Promise<ModelByTask['text-generation']> {
    return this.resolve('text-generation', ref, options);
  }

  embedder(ref: string, options?: Record<string, unknown>): Promise<ModelByTask['embedding']> {
    return this.resolve('embedding', ref, options);
  }

  classifier(ref: string, options?: Record<string, unknown>): Promise<ModelByTask['classification']> {
    return this.resolve('classification', ref, options);
  }

  async dispose(): Promise<void> {
    const loaded = await Promise.allSettled(this.instances.values());
    this.instances.clear();
    for (const result of loaded) {
      if (result.status === 'fulfilled') await result.value.dispose?.();
    }
    for (const { provider } of this.providers.values()) await provider.dispose?.();
  }
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
