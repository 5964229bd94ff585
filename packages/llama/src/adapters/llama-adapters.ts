import { FerryError } from '@ferry/core';
import type { WeightMap } from '../load/load-weights.js';
import type { LlamaModel } from '../nn/llama-model.js';
import { adaptLlama } from './adapt-llama.js';
import { readPeftAdapter } from './peft-adapter.js';

/** The error for a request naming an adapter that is not configured; lists the ones that are. */
export function unknownAdapterError(name: string, known: readonly string[]): FerryError {
  const loaded = known.length > 0 ? `the adapters served are ${known.map((n) => `"${n}"`).join(', ')}` : 'no adapters are configured';
  return new FerryError('INPUT_INVALID', `unknown adapter "${name}": ${loaded}`, {
    field: 'options.adapter',
    hint: `Name one of the configured adapters, leave adapter out for the base model, or add it to the llama provider's config: adapters: { ${JSON.stringify(name)}: "<adapter folder>" }.`,
    details: { adapter: name, adapters: [...known] },
  });
}

/**
 * The LoRA adapters served on one base model, by name. Each is read once, on
 * first use (a failed read is retried next time), into a `LlamaModel` that
 * shares the base's weight tensors; a request picks its model by name, so
 * nothing a request selects is shared mutable state.
 */
export class LlamaAdapters {
  private readonly models = new Map<string, Promise<LlamaModel>>();

  constructor(
    readonly base: LlamaModel,
    /** The weight map `base` was built from (what `loadLlama` returns as `weights`). */
    private readonly weights: WeightMap,
    /** name -> adapter folder (adapter_config.json + adapter_model.safetensors). */
    private readonly folders: Readonly<Record<string, string>> = {},
  ) {}

  get names(): string[] {
    return Object.keys(this.folders);
  }

  /** The model to run: the base without `adapter`, else base + that adapter. */
  async model(adapter?: string): Promise<LlamaModel> {
    if (adapter === undefined) return this.base;
    const folder = Object.hasOwn(this.folders, adapter) ? this.folders[adapter] : undefined;
    if (folder === undefined) throw unknownAdapterError(adapter, this.names);
    let pending = this.models.get(adapter);
    if (!pending) {
      pending = readPeftAdapter(folder).then((peft) => adaptLlama(this.base, this.weights, peft, folder));
      pending.catch(() => this.models.delete(adapter));
      this.models.set(adapter, pending);
    }
    return pending;
  }
}

/** The model a call runs on: `base` without `adapter`, else that adapter's model from `adapters`. */
export async function modelForAdapter(base: LlamaModel, adapters: LlamaAdapters | undefined, adapter: string | undefined): Promise<LlamaModel> {
  if (adapter === undefined) return base;
  if (!adapters) throw unknownAdapterError(adapter, []);
  return adapters.model(adapter);
}
