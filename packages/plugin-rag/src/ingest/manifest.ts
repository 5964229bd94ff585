import { readFile } from 'node:fs/promises';
import { FerryError, fromZodError, writeFileAtomic } from '@ferry/core';
import { z } from 'zod';

const entrySchema = z.strictObject({
  /** sha256 hex of the file's bytes when it was ingested. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Every chunk id the file produced, in order. */
  chunkIds: z.array(z.string().min(1)),
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
});

const manifestSchema = z.strictObject({
  format: z.literal('ferry-rag-ingest'),
  version: z.literal(1),
  collection: z.string().min(1),
  /** Source path relative to the root -> what is in the store for it. */
  files: z.record(z.string(), entrySchema),
});

export type ManifestEntry = z.infer<typeof entrySchema>;
export type IngestManifest = z.infer<typeof manifestSchema>;

export function emptyManifest(collection: string): IngestManifest {
  return { format: 'ferry-rag-ingest', version: 1, collection, files: {} };
}

/**
 * The record of what ingest committed: a file is in it only once its chunks
 * are durable in the store, so after a crash every file not in it (or with
 * an old hash) is simply ingested again.
 */
export async function loadManifest(path: string, collection: string): Promise<IngestManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyManifest(collection);
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new FerryError('INPUT_INVALID', `ingest manifest ${path} is not valid JSON`, {
      field: 'manifest',
      hint: 'It is written atomically, so something else changed it: delete it and run ingest again (every file is then re-embedded).',
      cause,
    });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw fromZodError('INPUT_INVALID', parsed.error, {
      what: `ingest manifest ${path}`,
      hint: 'Delete the manifest and run ingest again (every file is then re-embedded).',
    });
  }
  if (parsed.data.collection !== collection) {
    throw new FerryError('INPUT_INVALID', `ingest manifest ${path} belongs to collection "${parsed.data.collection}", not "${collection}"`, {
      field: 'collection',
      hint: 'Give each collection its own state folder (stateDir), or ingest into the collection the manifest names.',
    });
  }
  return parsed.data;
}

export async function saveManifest(path: string, manifest: IngestManifest): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(manifest)}\n`);
}
