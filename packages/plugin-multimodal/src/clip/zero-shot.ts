import { FerryError, type ClassificationResult, type EmbedOptions, type ImageEmbedder, type ImageInput } from '@ferry/core';
import { dot, meanDirection, normalize, softmax } from './vector-math.js';

/** A small ensemble from CLIP's ImageNet prompts; `{}` is replaced by the label. */
export const DEFAULT_PROMPT_TEMPLATES: readonly string[] = [
  'a photo of a {}.',
  'a photo of the {}.',
  'a close-up photo of a {}.',
  'a bright photo of a {}.',
  'a good photo of a {}.',
  'a rendering of a {}.',
];

export interface ZeroShotOptions extends EmbedOptions {
  /** Prompt templates containing `{}`; their text embeddings are averaged per label. */
  templates?: readonly string[];
  /** CLIP's learned logit scale (100 for OpenAI CLIP); scores are softmax(scale * cosine). */
  logitScale?: number;
}

export function requireTextSide(embedder: ImageEmbedder): NonNullable<ImageEmbedder['embedTexts']> {
  const embedTexts = embedder.embedTexts?.bind(embedder);
  if (!embedTexts) {
    throw new FerryError('MODEL_TASK_UNSUPPORTED', `${embedder.metadata.ref} embeds images only; zero-shot and text search need a joint image-text model`, {
      field: 'model',
      hint: 'Use a CLIP-style image-embedding model, e.g. transformers:Xenova/clip-vit-base-patch32.',
    });
  }
  return embedTexts;
}

/** One unit vector per label: the mean direction of its prompts' text embeddings. */
export async function labelEmbeddings(embedder: ImageEmbedder, labels: readonly string[], options: ZeroShotOptions = {}): Promise<Float32Array[]> {
  const templates = options.templates ?? DEFAULT_PROMPT_TEMPLATES;
  if (labels.length === 0) throw new FerryError('INPUT_INVALID', 'no candidate labels given', { field: 'labels', hint: 'Give at least two labels to choose between.' });
  if (templates.length === 0 || templates.some((t) => !t.includes('{}'))) {
    throw new FerryError('INPUT_INVALID', 'every prompt template must contain {} for the label', { field: 'templates', hint: 'Use templates like "a photo of a {}."' });
  }
  const embedTexts = requireTextSide(embedder);
  const prompts = labels.flatMap((label) => templates.map((t) => t.replaceAll('{}', label)));
  const vectors = await embedTexts(prompts, options.signal ? { signal: options.signal } : {});
  return labels.map((_, i) => meanDirection(vectors.slice(i * templates.length, (i + 1) * templates.length)));
}

/** Ranks labels for precomputed image embeddings. */
export function rankLabels(imageEmbedding: Float32Array, labels: readonly string[], labelVectors: Float32Array[], logitScale = 100): ClassificationResult {
  const image = normalize(imageEmbedding);
  const scores = softmax(labelVectors.map((v) => logitScale * dot(image, v)));
  const ranking = labels.map((label, i) => ({ label, score: scores[i] ?? 0 })).sort((a, b) => b.score - a.score);
  const best = ranking[0] ?? { label: '', score: 0 };
  return { label: best.label, score: best.score, ranking };
}

/** Zero-shot image classification with prompt ensembling over any joint image-text embedder (CLIP). */
export async function classifyImages(
  embedder: ImageEmbedder,
  images: ImageInput[],
  labels: readonly string[],
  options: ZeroShotOptions = {},
): Promise<ClassificationResult[]> {
  const labelVectors = await labelEmbeddings(embedder, labels, options);
  const imageVectors = await embedder.embedImages(images, options.signal ? { signal: options.signal } : {});
  return imageVectors.map((v) => rankLabels(v, labels, labelVectors, options.logitScale));
}
