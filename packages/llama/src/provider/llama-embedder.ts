import { fromZodError, type EmbedOptions, type Embedder, type ModelMetadata } from '@ferry/core';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { z } from 'zod';
import { modelForAdapter, type LlamaAdapters } from '../adapters/llama-adapters.js';
import type { LlamaModel } from '../nn/llama-model.js';

/** The embedding options: per model in config, `adapter` also per call. */
export const llamaEmbedOptionsSchema = z.strictObject({
  /** Tokens per text; longer texts are cut. Default the model's context. */
  maxLength: z.number().int().min(1).optional(),
  /** A LoRA adapter served with this model; absent: the base model. */
  adapter: z.string().min(1).optional(),
});
export type LlamaEmbedSettings = z.input<typeof llamaEmbedOptionsSchema>;

export interface LlamaEmbedOptions extends EmbedOptions {
  adapter?: string;
}

const callSchema = llamaEmbedOptionsSchema.pick({ adapter: true });

/** Mean of the final-norm hidden states over the tokens of each text, L2-normalised. */
export class LlamaEmbedder implements Embedder {
  constructor(
    readonly model: LlamaModel,
    readonly tokenizer: PreTrainedTokenizer,
    readonly metadata: ModelMetadata,
    private readonly defaults: LlamaEmbedSettings = {},
    readonly adapters?: LlamaAdapters,
  ) {}

  async embed(texts: string[], options: LlamaEmbedOptions = {}): Promise<Float32Array[]> {
    const { signal } = options;
    const call = callSchema.safeParse({ adapter: options.adapter });
    if (!call.success) throw fromZodError('INPUT_INVALID', call.error, { what: `options of ${this.metadata.ref}`, fieldPrefix: 'options' });
    const model = await modelForAdapter(this.model, this.adapters, call.data.adapter ?? this.defaults.adapter);
    const maxLength = this.defaults.maxLength ?? model.config.maxPositions;
    const out: Float32Array[] = [];
    for (const text of texts) {
      signal?.throwIfAborted();
      const ids = this.tokenizer.encode(text).slice(0, maxLength);
      const { hidden } = await model.forward(ids, { logits: 'none', ...(signal ? { signal } : {}) });
      out.push(meanPoolNormalised(hidden.data, ids.length, model.config.hiddenSize));
    }
    return out;
  }
}

function meanPoolNormalised(data: Float32Array, rows: number, width: number): Float32Array {
  const sum = new Float64Array(width);
  for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) sum[j]! += data[r * width + j]!;
  const norm = Math.sqrt(sum.reduce((acc, v) => acc + v * v, 0));
  return Float32Array.from(sum, (v) => (norm === 0 ? 0 : v / norm));
}
