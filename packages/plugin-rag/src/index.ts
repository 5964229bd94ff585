export type { Chunk, LoadedDocument, MetadataValue, SourceMetadata } from './documents/chunk.js';
export type {
  FieldCondition,
  MetadataFilter,
  VectorCollection,
  VectorHit,
  VectorQuery,
  VectorRecord,
  VectorStore,
} from './stores/vector-store.js';
export * from './loaders/index.js';
export * from './splitters/index.js';
export * from './stores/index.js';
export * from './retrieval/index.js';
export * from './answer/index.js';
export * from './ingest/index.js';
export * from './eval/index.js';
export { plugin, type RagIngestOptions, type RagPluginApi } from './rag-plugin.js';
