export { classifyImages, DEFAULT_PROMPT_TEMPLATES, labelEmbeddings, rankLabels, type ZeroShotOptions } from './zero-shot.js';
export { ImageSearchIndex, type ImageHit } from './image-search.js';
export { cosineSimilarity, meanDirection, normalize, softmax } from './vector-math.js';
