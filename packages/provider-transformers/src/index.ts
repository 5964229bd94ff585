export { plugin } from './transformers-plugin.js';
export { createTransformersProvider, TRANSFORMERS_TASKS } from './transformers-provider.js';
export {
  classificationOptionsSchema,
  DEVICES,
  DTYPES,
  embeddingOptionsSchema,
  generationOptionsSchema,
  imageEmbeddingOptionsSchema,
  transformersConfigSchema,
  type ClassificationOptions,
  type EmbeddingOptions,
  type GenerationOptions,
  type ImageEmbeddingOptions,
  type ResolvedTransformersConfig,
  type TransformersConfig,
  type TransformersDevice,
  type TransformersDtype,
} from './transformers-config.js';
export { probeCuda, resolveDevice, type CudaProbe } from './device.js';
export { TransformersEmbedder } from './transformers-embedder.js';
export { TransformersTextGenerator } from './text-generator.js';
export { TransformersTextClassifier } from './text-classifier.js';
export { TransformersZeroShotClassifier } from './zero-shot-classifier.js';
export { ClipImageEmbedder } from './clip-image-embedder.js';
