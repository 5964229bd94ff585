import { FerryError } from '@ferry/core';
import type { MetadataValue } from '../documents/chunk.js';
import { checkMetadataFilter, describe } from './metadata-filter.js';
import type { VectorQuery, VectorRecord } from './vector-store.js';

// Chroma's rules, applied by both stores so a name valid for one is valid for the other.
const NAME_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9._-]{1,510})[a-zA-Z0-9]$/;
const IPV4_PATTERN = /^\d{1,3}(?:\.\d{1,3}){3}$/;

export function checkCollectionName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name) || name.includes('..') || IPV4_PATTERN.test(name)) {
    throw new FerryError('INPUT_INVALID', `collection name ${describe(name)} is invalid`, {
      field: 'name',
      hint: 'Use 3 to 512 characters of letters, digits, ".", "_" or "-", starting and ending with a letter or digit, without "..", e.g. "docs" or "kb-v2".',
    });
  }
}

export function checkDims(dims: unknown): asserts dims is number {
  if (typeof dims !== 'number' || !Number.isInteger(dims) || dims < 1 || dims > 65_536) {
    throw new FerryError('INPUT_INVALID', `dims must be an integer from 1 to 65536, got ${describe(dims)}`, {
      field: 'dims',
      hint: "Pass the embedder's output size, e.g. { dims: 384 }.",
    });
  }
}

export function dimsMismatch(collection: string, existing: number, requested: number): FerryError {
  return new FerryError('INPUT_INVALID', `collection "${collection}" holds ${existing}-dimensional vectors, not ${requested}`, {
    field: 'dims',
    hint: `Open it with { dims: ${existing} }, or delete the collection (or use another name) to store ${requested}-dimensional vectors.`,
    details: { collection, existing, requested },
  });
}

function checkVector(vector: unknown, dims: number, field: string): void {
  if (!(vector instanceof Float32Array)) {
    throw new FerryError('INPUT_INVALID', `a vector must be a Float32Array, got ${describe(vector)}`, { field, hint: 'Wrap it: Float32Array.from(numbers).' });
  }
  if (vector.length !== dims) {
    throw new FerryError('INPUT_INVALID', `vector has ${vector.length} dimensions, the collection holds ${dims}`, {
      field,
      hint: `Embed with the model the collection was built with (${dims} dims), or use another collection.`,
      details: { expected: dims, got: vector.length },
    });
  }
  for (let i = 0; i < dims; i++) {
    if (!Number.isFinite(vector[i]!)) {
      throw new FerryError('INPUT_INVALID', `vector component ${i} is ${vector[i]}`, { field: `${field}[${i}]`, hint: 'Vectors must hold finite numbers only.' });
    }
  }
}

function checkId(id: unknown, field: string): asserts id is string {
  if (typeof id !== 'string' || id.length === 0) {
    throw new FerryError('INPUT_INVALID', `an id must be a non-empty string, got ${describe(id)}`, { field, hint: 'Use stable ids such as `${source}#${chunkIndex}`.' });
  }
}

export function checkIds(ids: unknown, field = 'ids'): asserts ids is string[] {
  if (!Array.isArray(ids)) throw new FerryError('INPUT_INVALID', `ids must be an array, got ${describe(ids)}`, { field, hint: 'Pass a list of id strings.' });
  ids.forEach((id, i) => checkId(id, `${field}[${i}]`));
}

/** Validates a batch before anything is written, so a bad record leaves the collection untouched. */
export function checkRecords(records: unknown, dims: number): asserts records is VectorRecord[] {
  if (!Array.isArray(records)) {
    throw new FerryError('INPUT_INVALID', `upsert needs an array of records, got ${describe(records)}`, { field: 'records', hint: 'Pass [{ id, vector, text, metadata }].' });
  }
  const seen = new Set<string>();
  records.forEach((record: unknown, i) => {
    const field = `records[${i}]`;
    if (record === null || typeof record !== 'object') {
      throw new FerryError('INPUT_INVALID', `record ${i} is ${describe(record)}`, { field, hint: 'Each record is { id, vector, text, metadata }.' });
    }
    const { id, vector, text, metadata } = record as Record<string, unknown>;
    checkId(id, `${field}.id`);
    if (seen.has(id)) {
      throw new FerryError('INPUT_INVALID', `id "${id}" appears twice in one upsert`, { field: `${field}.id`, hint: 'Give each record of a batch its own id.' });
    }
    seen.add(id);
    checkVector(vector, dims, `${field}.vector`);
    if (typeof text !== 'string') throw new FerryError('INPUT_INVALID', `text must be a string, got ${describe(text)}`, { field: `${field}.text`, hint: 'Pass "" when a record has no text.' });
    checkMetadata(metadata, `${field}.metadata`);
  });
}

function checkMetadata(metadata: unknown, field: string): asserts metadata is Record<string, MetadataValue> {
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new FerryError('INPUT_INVALID', `metadata must be an object, got ${describe(metadata)}`, { field, hint: 'Pass {} when a record has no metadata.' });
  }
  for (const [key, value] of Object.entries(metadata)) {
    const ok = typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (!ok || key.startsWith('$') || key.length === 0) {
      throw new FerryError('INPUT_INVALID', `metadata "${key}" is ${describe(value)}`, {
        field: `${field}.${key}`,
        hint: 'Metadata is flat: keys not starting with "$", values strings, finite numbers or booleans (join lists into a string).',
      });
    }
  }
}

export function checkQuery(query: unknown, dims: number): asserts query is VectorQuery {
  if (query === null || typeof query !== 'object') throw new FerryError('INPUT_INVALID', `query must be an object, got ${describe(query)}`, { field: 'query', hint: 'Pass { vector, k, filter? }.' });
  const { vector, k, filter } = query as Record<string, unknown>;
  checkVector(vector, dims, 'query.vector');
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
    throw new FerryError('INPUT_INVALID', `k must be a positive integer, got ${describe(k)}`, { field: 'query.k', hint: 'Ask for e.g. k: 5 results.' });
  }
  if (filter !== undefined) checkMetadataFilter(filter, 'query.filter');
}
