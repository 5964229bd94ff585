export { createOfflineProvider } from './offline-provider.js';
export { HashingEmbedder, DEFAULT_HASH_DIMS, MIN_HASH_DIMS, MAX_HASH_DIMS } from './hashing-embedder.js';
export {
  ExtractiveAnswerer,
  NO_ANSWER_TEXT,
  extractiveAnswererOptionsSchema,
  type ExtractiveAnswererOptions,
  type ScoredSentence,
} from './extractive-answerer.js';
export { CentroidClassifier, centroidClassifierOptionsSchema, type CentroidClassifierOptions } from './centroid-classifier.js';
export { KeywordClassifier, keywordClassifierOptionsSchema, type KeywordClassifierOptions } from './keyword-classifier.js';
export { Bm25Index, countTerms, type Bm25Options, type TermBag } from './bm25.js';
export { normalizeText, searchTerms, tokenize } from './tokenize.js';
export { splitSentences, type SentenceSpan } from './sentence-splitter.js';
export { segmentInWindows, type TextSegment, type WindowOptions } from './segment-in-windows.js';
export { STOP_WORDS } from './stop-words.js';
export { parseCsv, parseCsvRecords } from './csv.js';
