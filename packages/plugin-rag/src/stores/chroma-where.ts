import type { Where } from 'chromadb';
import type { MetadataFilter } from './vector-store.js';

/**
 * A MetadataFilter as Chroma's `where`: Chroma wants exactly one key per
 * object, so several field conditions become an `$and`, and a one-element
 * `$and` / `$or` becomes its element.
 */
export function toChromaWhere(filter: MetadataFilter): Where {
  const entries = Object.entries(filter);
  if (entries.length === 1) {
    const [key, value] = entries[0]!;
    if (key === '$and' || key === '$or') {
      const parts = (value as MetadataFilter[]).map(toChromaWhere);
      return parts.length === 1 ? parts[0]! : ({ [key]: parts } as Where);
    }
    return { [key]: value } as Where;
  }
  return { $and: entries.map(([key, value]) => toChromaWhere({ [key]: value } as MetadataFilter)) };
}
