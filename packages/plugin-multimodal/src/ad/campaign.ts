import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, type ImageGenerator, type RawImage } from '@ferry/core';
import { loadImage, type LoadImageOptions } from '../images/load-image.js';
import type { AdCopy, CopyWriter } from './ad-copy.js';
import { BANNER_SIZES, renderBanner, type BannerSize } from './banner.js';
import { resolveFonts, type FontOptions } from './fonts.js';
import { imagePrompts, type ImagePrompt } from './image-prompts.js';
import { extractKeywords, type Keyword } from './keywords.js';
import { previewHtml } from './preview-html.js';
import { productIn, type AdLanguage, type AdTone, type Product } from './product-schema.js';
import { TemplateCopyWriter } from './template-copy-writer.js';

export interface CampaignOptions {
  product: Product;
  outDir: string;
  /** Default: the offline template writer. */
  writer?: CopyWriter;
  /** When given, one image per style prompt is generated and saved. */
  imageGenerator?: ImageGenerator;
  sizes?: BannerSize[];
  fonts?: FontOptions;
  loadOptions?: LoadImageOptions;
  onProgress?: (step: string, done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface CampaignManifest {
  product: Product;
  writer: string;
  imageModel?: string;
  keywords: Partial<Record<AdLanguage, Keyword[]>>;
  copy: Array<{ language: AdLanguage; tone: AdTone; copy: AdCopy }>;
  imagePrompts: ImagePrompt[];
  images: Array<{ style: string; file: string; revisedPrompt?: string }>;
  banners: Array<{ language: AdLanguage; tone: AdTone; size: BannerSize; file: string; width: number; height: number; headlineFontSize: number; truncated: boolean }>;
}

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/**
 * Product facts -> keywords -> copy per language and tone -> image prompts
 * -> generated images (when a generator is configured) -> banners in every
 * size. Writes a campaign folder: banners/*.png, images/*, index.html, and
 * campaign.json last, each file atomically, so a folder with campaign.json
 * is complete.
 */
export async function generateCampaign(options: CampaignOptions): Promise<CampaignManifest> {
  const { product, outDir } = options;
  const writer = options.writer ?? new TemplateCopyWriter();
  const sizes = options.sizes ?? (Object.keys(BANNER_SIZES) as BannerSize[]);
  const fonts = resolveFonts(options.fonts);
  const signal = options.signal ? { signal: options.signal } : {};
  await mkdir(join(outDir, 'banners'), { recursive: true });

  const keywords: CampaignManifest['keywords'] = {};
  for (const language of product.languages) keywords[language] = extractKeywords(productIn(product, language));

  const copy: CampaignManifest['copy'] = [];
  const pairs = product.languages.flatMap((language) => product.tones.map((tone) => ({ language, tone })));
  for (const [i, { language, tone }] of pairs.entries()) {
    copy.push({ language, tone, copy: await writer.write({ product, keywords: keywords[language] ?? [], tone, language }, signal) });
    options.onProgress?.('copy', i + 1, pairs.length);
  }

  const prompts = imagePrompts(product);
  const images: CampaignManifest['images'] = [];
  let generatedPhoto: RawImage | undefined;
  if (options.imageGenerator) {
    await mkdir(join(outDir, 'images'), { recursive: true });
    for (const [i, { style, prompt }] of prompts.entries()) {
      const [image] = await options.imageGenerator.generateImages(prompt, { width: 1024, height: 1024, n: 1, ...signal });
      if (!image) continue;
      const file = `images/${style}.${EXTENSIONS[image.mimeType] ?? 'png'}`;
      await writeFileAtomic(join(outDir, file), image.data);
      images.push({ style, file, ...(image.revisedPrompt ? { revisedPrompt: image.revisedPrompt } : {}) });
      generatedPhoto ??= await loadImage(image.data, options.loadOptions);
      options.onProgress?.('images', i + 1, prompts.length);
    }
  }

  const photo = product.photo ? await loadImage({ path: product.photo }, options.loadOptions) : generatedPhoto;
  const banners: CampaignManifest['banners'] = [];
  const total = copy.length * sizes.length;
  for (const { language, tone, copy: c } of copy) {
    for (const size of sizes) {
      const { png, layout } = await renderBanner({
        size,
        text: { headline: c.headline, subline: c.subline, callToAction: c.callToAction },
        brandColors: product.brandColors,
        fonts,
        ...(photo ? { photo } : {}),
      });
      const file = `banners/${language}-${tone}-${size}.png`;
      await writeFileAtomic(join(outDir, file), png);
      const headline = layout.blocks.find((b) => b.role === 'headline');
      banners.push({
        language,
        tone,
        size,
        file,
        width: layout.width,
        height: layout.height,
        headlineFontSize: headline?.fontSize ?? 0,
        truncated: layout.blocks.some((b) => b.truncated),
      });
      options.onProgress?.('banners', banners.length, total);
    }
  }

  const manifest: CampaignManifest = {
    product,
    writer: writer.name,
    ...(options.imageGenerator ? { imageModel: options.imageGenerator.metadata.ref } : {}),
    keywords,
    copy,
    imagePrompts: prompts,
    images,
    banners,
  };
  await writeFileAtomic(join(outDir, 'index.html'), previewHtml(manifest));
  await writeFileAtomic(join(outDir, 'campaign.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
