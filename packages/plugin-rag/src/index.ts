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
