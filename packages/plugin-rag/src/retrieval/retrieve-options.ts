import { FerryError } from '@ferry/core';
import { checkMetadataFilter } from '../stores/metadata-filter.js';
import type { MetadataFilter } from '../stores/vector-store.js';
import { DEFAULT_K, type RetrieveOptions } from './retriever.js';

export interface CheckedRetrieveOptions {
  k: number;
  filter: MetadataFilter | undefined;
  signal: AbortSignal | undefined;
}

/** Validates a query and its options the same way for every retriever. */
export function checkRetrieveOptions(query: unknown, options: RetrieveOptions): CheckedRetrieveOptions {
  if (typeof query !== 'string' || query.trim() === '') {
    throw new FerryError('INPUT_INVALID', 'the query must be a non-empty string', {
      field: 'query',
      hint: 'Pass the question or search text, e.g. retrieve("How do I reset my password?").',
    });
  }
  const k = options.k ?? DEFAULT_K;
  if (!Number.isInteger(k) || k < 1 || k > 10_000) {
    throw new FerryError('INPUT_INVALID', `k must be an integer from 1 to 10000, got ${String(k)}`, {
      field: 'k',
      hint: 'Ask for the number of chunks you will use, e.g. { k: 5 }.',
    });
  }
  if (options.filter !== undefined) checkMetadataFilter(options.filter);
  options.signal?.throwIfAborted();
  return { k, filter: options.filter, signal: options.signal };
}
