export type { FieldCondition, MetadataFilter, VectorCollection, VectorHit, VectorQuery, VectorRecord, VectorStore } from './vector-store.js';
export { EmbeddedCollection, EmbeddedStore, openEmbeddedStore, type EmbeddedStoreOptions } from './embedded-store.js';
export { ChromaCollection, ChromaStore, connectChroma, type ChromaStoreOptions } from './chroma-store.js';
export { startChromaServer, type ChromaServer, type ChromaServerOptions } from './chroma-server.js';
export { toChromaWhere } from './chroma-where.js';
export { checkMetadataFilter, matchesFilter } from './metadata-filter.js';
export { DEFAULT_HNSW_PARAMS, HnswIndex, type HnswParams, type HnswResult } from './hnsw-index.js';
export { VectorArena } from './vector-arena.js';
export type { HnswGraph } from './hnsw-index.js';
