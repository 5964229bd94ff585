import type { z } from 'zod';
import { FerryError } from '../../errors/ferry-error.js';
import type { EmbedOptions, Embedder, ModelMetadata } from '../../models/model-types.js';
import type { OpenAIClient } from './openai-client.js';
import type { openAIEmbeddingOptionsSchema } from './openai-model-options.js';
import { embeddingsSchema } from './openai-wire-schemas.js';

const PATH = '/embeddings';

/**
 * `openai:<model>` for embeddings, through `/embeddings`, `batchSize` texts
 * per request, one after the other so a large ingest does not trip rate
 * limits. Vectors come back as the server made them (OpenAI's and most
 * served embedding models' are already L2-normalised).
 */
export class OpenAIEmbeddingModel implements Embedder {
  constructor(
    private readonly client: OpenAIClient,
    readonly metadata: ModelMetadata,
    private readonly options: z.output<typeof openAIEmbeddingOptionsSchema>,
  ) {}

  async embed(texts: string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.options.batchSize) {
      const batch = texts.slice(start, start + this.options.batchSize);
      const reply = await this.client.postJson(PATH, { model: this.metadata.model, input: batch }, embeddingsSchema, options.signal);
      vectors.push(...this.inInputOrder(reply.data, batch.length));
    }
    return vectors;
  }

  /** The server may answer in any order; `index` says which input each vector is for. */
  private inInputOrder(data: z.output<typeof embeddingsSchema>['data'], count: number): Float32Array[] {
    if (data.length !== count) {
      throw this.client.badResponse(PATH, `it has ${data.length} embeddings for ${count} inputs`, 'response.data');
    }
    const ordered = new Array<Float32Array | undefined>(count);
    for (const { index, embedding } of data) {
      if (index >= count || ordered[index] !== undefined) {
        throw this.client.badResponse(PATH, `index ${index} is out of range or repeated (batch of ${count})`, 'response.data.index');
      }
      this.checkDims(embedding.length);
      ordered[index] = Float32Array.from(embedding);
    }
    // Every slot is filled: `count` distinct indices below `count`.
    return ordered as Float32Array[];
  }

  private checkDims(length: number): void {
    const expected = this.metadata.dims;
    if (expected === undefined) {
      this.metadata.dims = length;
      return;
    }
    if (length === expected) return;
    if (this.options.dims !== undefined) {
      throw new FerryError('CONFIG_INVALID', `${this.metadata.ref} returns ${length}-dimensional vectors, but its options say dims: ${expected}`, {
        field: 'options.dims',
        hint: `Set dims to ${length} (or remove it to learn it from the server), and re-index stores built with the wrong size.`,
      });
    }
    throw this.client.badResponse(PATH, `a vector has ${length} dimensions where earlier ones had ${expected}`, 'response.data.embedding');
  }
}
