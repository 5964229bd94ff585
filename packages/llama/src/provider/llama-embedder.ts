import type { EmbedOptions, Embedder, ModelMetadata } from '@ferry/core';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import type { LlamaModel } from '../nn/llama-model.js';

/** Mean of the final-norm hidden states over the tokens of each text, L2-normalised. */
export class LlamaEmbedder implements Embedder {
  constructor(
    readonly model: LlamaModel,
    readonly tokenizer: PreTrainedTokenizer,
    readonly metadata: ModelMetadata,
    /** Tokens per text kept (the rest is cut); default the model's context. */
    private readonly maxLength = model.config.maxPositions,
  ) {}

  async embed(texts: string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const text of texts) {
      options.signal?.throwIfAborted();
      const ids = this.tokenizer.encode(text).slice(0, this.maxLength);
      const { hidden } = await this.model.forward(ids, { logits: 'none', ...(options.signal ? { signal: options.signal } : {}) });
      out.push(meanPoolNormalised(hidden.data, ids.length, this.model.config.hiddenSize));
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
