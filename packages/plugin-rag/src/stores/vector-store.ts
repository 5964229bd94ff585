import type { MetadataValue } from '../documents/chunk.js';

/** A stored vector with its text and flat metadata (nested values are not filterable). */
export interface VectorRecord {
  id: string;
  vector: Float32Array;
  text: string;
  metadata: Record<string, MetadataValue>;
}

/**
 * Metadata filter, a subset of Chroma's `where` so both stores accept the same
 * filters: `{ field: value }`, `{ field: { $eq|$ne|$gt|$gte|$lt|$lte: v } }`,
 * `{ field: { $in|$nin: [..] } }`, `{ $and: [..] }`, `{ $or: [..] }`.
 */
export type MetadataFilter =
  | { $and: MetadataFilter[] }
  | { $or: MetadataFilter[] }
  | Record<string, MetadataValue | FieldCondition>;

export type FieldCondition =
  | { $eq: MetadataValue }
  | { $ne: MetadataValue }
  | { $gt: number }
  | { $gte: number }
  | { $lt: number }
  | { $lte: number }
  | { $in: MetadataValue[] }
  | { $nin: MetadataValue[] };

export interface VectorQuery {
  vector: Float32Array;
  k: number;
  filter?: MetadataFilter;
}

export interface VectorHit {
  id: string;
  /** Cosine similarity in [-1, 1]; higher is closer. */
  score: number;
  text: string;
  metadata: Record<string, MetadataValue>;
}

/** One named collection of vectors of one dimension. */
export interface VectorCollection {
  readonly name: string;
  readonly dims: number;
  /** Inserts or replaces by id; durable when the promise resolves. */
  upsert(records: VectorRecord[]): Promise<void>;
  delete(ids: string[]): Promise<void>;
  /** Best first. */
  query(query: VectorQuery): Promise<VectorHit[]>;
  get(ids: string[]): Promise<VectorRecord[]>;
  /** Ids whose metadata matches, for incremental ingest (e.g. all chunks of one source). */
  listIds(filter?: MetadataFilter): Promise<string[]>;
  count(): Promise<number>;
}

export interface VectorStore {
  readonly kind: 'embedded' | 'chroma';
  /** Opens or creates; a collection created with other dims is an error naming both. */
  collection(name: string, options: { dims: number }): Promise<VectorCollection>;
  listCollections(): Promise<string[]>;
  deleteCollection(name: string): Promise<void>;
  close(): Promise<void>;
}
