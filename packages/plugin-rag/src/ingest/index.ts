export { ingest, type IngestOptions, type IngestReport, type SkippedFile } from './ingest.js';
export { emptyManifest, loadManifest, saveManifest, type IngestManifest, type ManifestEntry } from './manifest.js';
export { chunkMetadata } from './chunk-metadata.js';
export { STATE_DIR_NAME, statePaths } from './state-paths.js';
export { KnowledgeBase, type KnowledgeBaseParts } from './knowledge-base.js';
export { LEXICAL_EMBEDDER_FUSION, ragConfigSchema, type RagConfig, type RagConfigInput } from './rag-config.js';
