import { FerryError, type EmbedOptions, type Embedder, type ModelMetadata } from '@ferry/core';
import { pipeline, type FeatureExtractionPipeline, type Tensor } from '@huggingface/transformers';
import { Batcher } from './batcher.js';
import { loadWith, modelMetadata, numberField, onnxRequirement, prepareModel, tokenizerRequirement, type ProviderContext } from './model-runtime.js';
import type { EmbeddingOptions } from './transformers-config.js';

/**
 * Sentence embeddings from a feature-extraction model (BERT, MiniLM, BGE,
 * E5...): token vectors pooled (`mean` over the attention mask, or the `cls`
 * token) and L2-normalised unless `normalize: false`.
 */
export class TransformersEmbedder implements Embedder {
  readonly metadata: ModelMetadata;
  private readonly batcher: Batcher<string, Float32Array>;

  constructor(
    private readonly extractor: FeatureExtractionPipeline,
    metadata: ModelMetadata,
    private readonly options: Pick<EmbeddingOptions, 'pooling' | 'normalize'>,
    batchSize: number,
  ) {
    this.metadata = metadata;
    this.batcher = new Batcher(batchSize, (texts) => this.forward(texts));
  }

  /** Forward passes run so far (concurrent calls share them). */
  get forwardPasses(): number {
    return this.batcher.passes;
  }

  embed(texts: string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    return this.batcher.run(texts, options.signal);
  }

  async dispose(): Promise<void> {
    await this.extractor.dispose();
  }

  private async forward(texts: string[]): Promise<Float32Array[]> {
    const out = await this.extractor(texts, { pooling: this.options.pooling, normalize: this.options.normalize });
    if (out.dims.length !== 2) {
      throw new FerryError('MODEL_TASK_UNSUPPORTED', `${this.metadata.ref} gives one vector per token (output shape [${out.dims.join(', ')}]), not one per text`, {
        field: 'options.pooling',
        hint: 'Set pooling "mean" (or "cls") for this model; "none" is for models whose output is already one vector per text.',
      });
    }
    return rows(out);
  }
}

/** One copied Float32Array per row of a [rows, dims] tensor. */
export function rows(tensor: Tensor): Float32Array[] {
  const [count, dims] = tensor.dims as [number, number];
  const data = tensor.data as Float32Array;
  return Array.from({ length: count }, (_, i) => data.slice(i * dims, (i + 1) * dims));
}

export async function createEmbedder(ctx: ProviderContext, model: string, options: EmbeddingOptions): Promise<TransformersEmbedder> {
  const prepared = await prepareModel(ctx, model, options, (folder, dtype) => [tokenizerRequirement(folder), onnxRequirement('model', dtype, folder)]);
  const extractor = await loadWith(prepared, 'a feature-extraction model', () => pipeline('feature-extraction', prepared.source.id, prepared.pretrained));
  const dims = options.pooling === 'none' ? undefined : numberField(prepared.modelConfig, 'hidden_size');
  const metadata = modelMetadata(prepared, 'embedding', `feature-extraction, ${options.pooling} pooling${options.normalize ? ', normalised' : ''}`, {
    ...(dims === undefined ? {} : { dims }),
  });
  return new TransformersEmbedder(extractor, metadata, options, options.batchSize ?? ctx.config.batchSize);
}
