import { readFileSync } from 'node:fs';
import { definePlugin, type ImageEmbedder, type ImageInput, type VisionLanguageModel } from '@ferry/core';
import { z } from 'zod';
import { TemplateCopyWriter } from './ad/template-copy-writer.js';
import { ModelCopyWriter } from './ad/model-copy-writer.js';
import { generateCampaign, type CampaignManifest, type CampaignOptions } from './ad/campaign.js';
import { openImageSearchIndex, type ImageSearchIndex, type OpenImageSearchIndexOptions } from './clip/image-search.js';
import { classifyImages, type ZeroShotOptions } from './clip/zero-shot.js';
import { clipPreprocess, type PreprocessedImage } from './images/clip-preprocess.js';
import { loadImage, loadImageOptionsSchema, type LoadedImage } from './images/load-image.js';
import type { PreprocessorConfigInput } from './images/preprocessor-config.js';
import { ClipVqaModel } from './vqa/clip-vqa-model.js';
import { createTransformersVisionModel, type TransformersVisionOptions } from './vqa/transformers-vision-model.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const fontFaceSchema = z.strictObject({ file: z.string().min(1), family: z.string().min(1) });

export const multimodalPluginConfigSchema = z.strictObject({
  /** Limits for every image this plugin loads (files, bytes, URLs). */
  images: loadImageOptionsSchema.default(loadImageOptionsSchema.parse({})),
  fonts: z.strictObject({ latin: fontFaceSchema.optional(), cjk: fontFaceSchema.optional() }).default({}),
  /** A text-generation model (provider:model) for ad copy; without it the offline templates write. */
  copyModel: z.string().min(1).optional(),
  /** An image-generation model for campaign images; without it banners use the product photo only. */
  imageModel: z.string().min(1).optional(),
});

export type MultimodalPluginConfig = z.input<typeof multimodalPluginConfigSchema>;

/** What dependents get from `ctx.use('@ferry/plugin-multimodal')`: the helpers with the app's limits and models applied. */
export interface MultimodalPluginApi {
  loadImage(input: ImageInput): Promise<LoadedImage>;
  clipPreprocess(input: ImageInput, config: PreprocessorConfigInput): Promise<PreprocessedImage>;
  classifyImages(embedder: ImageEmbedder, images: ImageInput[], labels: readonly string[], options?: ZeroShotOptions): Promise<import('@ferry/core').ClassificationResult[]>;
  /** An image index in the rag plugin's vector store: `{ dir }`, `{ store }`, or a temporary embedded store. */
  createSearchIndex(embedder: ImageEmbedder, options?: OpenImageSearchIndexOptions): Promise<ImageSearchIndex>;
  /** Offline closed-set visual QA over a CLIP-style embedder. */
  clipVqa(embedder: ImageEmbedder): VisionLanguageModel;
  /** Image-to-text from a local transformers.js model folder (VisionEncoderDecoder), reading images with the app's limits. */
  transformersVision(options: Omit<TransformersVisionOptions, 'images'>): Promise<VisionLanguageModel>;
  generateCampaign(options: Omit<CampaignOptions, 'writer' | 'imageGenerator' | 'fonts' | 'loadOptions'> & Partial<Pick<CampaignOptions, 'writer' | 'imageGenerator'>>): Promise<CampaignManifest>;
}

export const plugin = definePlugin<z.output<typeof multimodalPluginConfigSchema>, MultimodalPluginApi>({
  name: '@ferry/plugin-multimodal',
  version: VERSION,
  description: 'Image loading and CLIP preprocessing, zero-shot classification and image search, visual QA, ad campaigns with rendered banners',
  core: '^0.1.0',
  configSchema: multimodalPluginConfigSchema,
  setup(ctx) {
    const { images, fonts, copyModel, imageModel } = ctx.config;
    return {
      api: {
        loadImage: (input) => loadImage(input, images),
        clipPreprocess: (input, config) => clipPreprocess(input, config, images),
        classifyImages,
        createSearchIndex: openImageSearchIndex,
        clipVqa: (embedder) => new ClipVqaModel(embedder),
        transformersVision: (options) => createTransformersVisionModel({ ...options, images }),
        async generateCampaign(options) {
          const writer = options.writer ?? (copyModel ? new ModelCopyWriter(await ctx.models.resolve('text-generation', copyModel)) : new TemplateCopyWriter());
          const imageGenerator = options.imageGenerator ?? (imageModel ? await ctx.models.resolve('image-generation', imageModel) : undefined);
          return generateCampaign({ ...options, writer, ...(imageGenerator ? { imageGenerator } : {}), fonts, loadOptions: images });
        },
      },
    };
  },
});
