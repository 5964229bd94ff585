import type { Chunk, MetadataValue } from '../documents/chunk.js';

/**
 * A chunk's metadata as a store keeps it: flat values only, so the heading
 * path becomes one ' > '-joined string (filterable, and what citations show).
 */
export function chunkMetadata(chunk: Chunk): Record<string, MetadataValue> {
  const { headingPath, ...rest } = chunk.metadata;
  const flat: Record<string, MetadataValue> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) flat[key] = value;
  }
  if (headingPath && headingPath.length > 0) flat.heading = headingPath.join(' > ');
  return flat;
}
