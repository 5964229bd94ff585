import { FerryError, type EmbedOptions, type ImageEmbedder, type ImageInput, type ModelMetadata } from '@ferry/core';
import {
  AutoProcessor,
  AutoTokenizer,
  CLIPTextModelWithProjection,
  CLIPVisionModelWithProjection,
  type PreTrainedTokenizer,
  type Processor,
  type Tensor,
} from '@huggingface/transformers';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Batcher } from './batcher.js';
import { toRawImage } from './image-input.js';
import { loadWith, modelMetadata, numberField, onnxFile, onnxRequirement, prepareModel, type ProviderContext } from './model-runtime.js';
import type { ImageEmbeddingOptions } from './transformers-config.js';
import { rows } from './transformers-embedder.js';

interface TextSide {
  tokenizer: PreTrainedTokenizer;
  model: CLIPTextModelWithProjection;
}

/**
 * CLIP's joint image-text space: `embedImages` through the vision tower and
 * `embedTexts` through the text tower (when the folder has one), both
 * projected to `projection_dim` and L2-normalised unless `normalize: false`,
 * so an image and a text can be compared by dot product.
 */
export class ClipImageEmbedder implements ImageEmbedder {
  readonly metadata: ModelMetadata;
  readonly embedTexts?: (texts: string[], options?: EmbedOptions) => Promise<Float32Array[]>;
  private readonly images: Batcher<ImageInput, Float32Array>;

  constructor(
    private readonly processor: Processor,
    private readonly vision: CLIPVisionModelWithProjection,
    private readonly text: TextSide | undefined,
    metadata: ModelMetadata,
    private readonly normalize: boolean,
    batchSize: number,
  ) {
    this.metadata = metadata;
    this.images = new Batcher(batchSize, (batch) => this.forwardImages(batch));
    if (text !== undefined) {
      const texts = new Batcher<string, Float32Array>(batchSize, (batch) => this.forwardTexts(text, batch));
      this.embedTexts = (input, options = {}) => texts.run(input, options.signal);
    }
  }

  embedImages(images: ImageInput[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    return this.images.run(images, options.signal);
  }

  async dispose(): Promise<void> {
    await this.vision.dispose();
    await this.text?.model.dispose();
  }

  private async forwardImages(batch: ImageInput[]): Promise<Float32Array[]> {
    const decoded = await Promise.all(batch.map((image) => toRawImage(image)));
    const inputs = (await this.processor(decoded)) as Record<string, Tensor>;
    const { image_embeds } = (await this.vision(inputs)) as { image_embeds: Tensor };
    return this.finish(image_embeds);
  }

  private async forwardTexts(text: TextSide, batch: string[]): Promise<Float32Array[]> {
    const inputs = text.tokenizer(batch, { padding: true, truncation: true });
    const { text_embeds } = (await text.model(inputs)) as { text_embeds: Tensor };
    return this.finish(text_embeds);
  }

  private finish(embeds: Tensor): Float32Array[] {
    const out = rows(embeds);
    if (this.normalize) for (const v of out) l2Normalize(v);
    return out;
  }
}

function l2Normalize(v: Float32Array): void {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
}

export async function createClipEmbedder(ctx: ProviderContext, model: string, options: ImageEmbeddingOptions): Promise<ClipImageEmbedder> {
  const prepared = await prepareModel(ctx, model, options, (folder, dtype) => [
    {
      path: 'preprocessor_config.json',
      why: 'the image preprocessing (resize, crop, normalise)',
      hint: `Copy the model's preprocessor_config.json into ${folder}.`,
    },
    onnxRequirement('vision_model', dtype, folder),
  ]);
  const modelType = prepared.modelConfig?.model_type;
  if (modelType !== undefined && modelType !== 'clip') {
    throw new FerryError('MODEL_TASK_UNSUPPORTED', `${prepared.ref} is a "${modelType}" model; image embeddings are served for CLIP models (model_type "clip")`, {
      field: 'model',
      hint: 'Use a CLIP export such as "Xenova/clip-vit-base-patch32" (onnx/vision_model.onnx and onnx/text_model.onnx).',
    });
  }
  const folder = prepared.source.folder;
  // A local folder may carry only the vision tower; a hub CLIP has both.
  const hasText = folder === undefined || (existsSync(join(folder, onnxFile('text_model', prepared.dtype))) && existsSync(join(folder, 'tokenizer.json')));
  const { id } = prepared.source;
  const [processor, vision, text] = await loadWith(prepared, 'a CLIP model', async () => {
    const processor = await AutoProcessor.from_pretrained(id, prepared.pretrained);
    const vision = await CLIPVisionModelWithProjection.from_pretrained(id, prepared.pretrained);
    const text: TextSide | undefined = hasText
      ? { tokenizer: await AutoTokenizer.from_pretrained(id, prepared.pretrained), model: await CLIPTextModelWithProjection.from_pretrained(id, prepared.pretrained) }
      : undefined;
    return [processor, vision, text] as const;
  });
  const dims = numberField(prepared.modelConfig, 'projection_dim');
  const metadata = modelMetadata(prepared, 'image-embedding', `CLIP image${hasText ? ' and text' : ''} embeddings${options.normalize ? ', normalised' : ''}`, {
    ...(dims === undefined ? {} : { dims }),
  });
  return new ClipImageEmbedder(processor, vision, text, metadata, options.normalize, options.batchSize ?? ctx.config.batchSize);
}
