export { classifyImages, DEFAULT_PROMPT_TEMPLATES, labelEmbeddings, rankLabels, type ZeroShotOptions } from './zero-shot.js';
export {
  ImageSearchIndex,
  openImageSearchIndex,
  type AddFolderOptions,
  type FolderSyncReport,
  type ImageHit,
  type ImageMetadata,
  type OpenImageSearchIndexOptions,
  type SearchOptions,
} from './image-search.js';
export { cosineSimilarity, meanDirection, normalize, softmax } from './vector-math.js';
