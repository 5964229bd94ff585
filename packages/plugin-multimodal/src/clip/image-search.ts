import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { FerryError, fromZodError, type EmbedOptions, type ImageEmbedder, type ImageInput } from '@ferry/core';
import { openEmbeddedStore, type MetadataFilter, type MetadataValue, type VectorCollection, type VectorRecord, type VectorStore } from '@ferry/plugin-rag';
import sharp from 'sharp';
import { z } from 'zod';
import { listImageFiles, readImageFile, relativeId, type ImageFile } from './image-files.js';
import { requireTextSide } from './zero-shot.js';
import { normalize } from './vector-math.js';

/**
 * Metadata every image added from a folder carries; all of it can be filtered
 * on. The file facts (hash, bytes, mtime, size, sharp's format name) are the
 * ones readImageFile reports.
 */
export interface ImageMetadata extends Omit<ImageFile, 'data'> {
  /** Absolute path of the folder given to addFolder. */
  folder: string;
  /** Path relative to that folder, `/`-separated (also the record id). */
  path: string;
  /** Sub-folder of `path` (`''` at the top level). */
  dir: string;
}

export interface ImageHit {
  /** Path relative to the indexed folder (or the id given to add()). */
  id: string;
  score: number;
  metadata: Record<string, MetadataValue>;
}

export interface FolderSyncReport {
  /** Image files found in the folder. */
  total: number;
  added: number;
  /** Content changed (re-embedded) or only the caller's metadata changed (vector kept). */
  updated: number;
  unchanged: number;
  /** Records of this folder whose file is gone (or no longer readable), deleted from the collection. */
  removed: number;
  skipped: Array<{ path: string; message: string }>;
}

const RESERVED_KEYS: ReadonlySet<string> = new Set(['folder', 'path', 'dir', 'contentHash', 'bytes', 'mtimeMs', 'width', 'height', 'format']);

const metadataValue = z.union([z.string(), z.number().finite(), z.boolean()]);
const callerMetadata = z.record(z.string(), metadataValue).refine((m) => Object.keys(m).every((key) => !RESERVED_KEYS.has(key)), {
  message: `keys ${[...RESERVED_KEYS].join(', ')} are set by the index`,
});

const openOptionsSchema = z.strictObject({
  dir: z.string().min(1).optional(),
  store: z.custom<VectorStore>((v) => typeof v === 'object' && v !== null && 'collection' in v && 'close' in v, 'a VectorStore').optional(),
  collection: z.string().min(1).default('images'),
});

export type OpenImageSearchIndexOptions = z.input<typeof openOptionsSchema>;

const addFolderSchema = z.strictObject({
  recursive: z.boolean().default(true),
  batchSize: z.number().int().min(1).max(1024).default(16),
  /** Larger files, or images with more pixels, are skipped (reported), as loadImage refuses them. */
  maxBytes: z.number().int().positive().default(25 * 1024 * 1024),
  maxPixels: z.number().int().positive().default(40_000_000),
  metadata: z.custom<(path: string) => Record<string, MetadataValue>>((v) => typeof v === 'function', 'a function (path) => metadata').optional(),
  onProgress: z.custom<(done: number, total: number) => void>((v) => typeof v === 'function', 'a function (done, total) => void').optional(),
  signal: z.instanceof(AbortSignal).optional(),
});

export type AddFolderOptions = z.input<typeof addFolderSchema>;

export interface SearchOptions extends EmbedOptions {
  /** Metadata filter (the rag stores' `where` subset), e.g. `{ dir: 'cats' }` or `{ width: { $gte: 512 } }`. */
  filter?: MetadataFilter;
}

const kSchema = z.number().int().min(1).max(10_000);

/**
 * Opens an image index over a collection of the rag plugin's vector store:
 * `dir` for an embedded store in that folder (created when missing, closed
 * with the index), `store` for any open `VectorStore` (embedded or Chroma,
 * left open), neither for an embedded store in a temporary folder that
 * close() deletes. The collection's dimension is the embedder's.
 */
export async function openImageSearchIndex(embedder: ImageEmbedder, options: OpenImageSearchIndexOptions = {}): Promise<ImageSearchIndex> {
  const parsed = openOptionsSchema.safeParse(options);
  if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what: 'image search index options', fieldPrefix: 'options', hint: 'Pass { dir } (a folder for the index), { store } (an open VectorStore) or neither, and optionally { collection }.' });
  const { dir, store: given, collection: name } = parsed.data;
  if (dir !== undefined && given !== undefined) {
    throw new FerryError('INPUT_INVALID', 'give either dir or store for the image index, not both', { field: 'options.dir', hint: 'dir opens an embedded store in that folder; store uses one you opened.' });
  }
  const temp = dir === undefined && given === undefined ? await mkdtemp(join(tmpdir(), 'ferry-image-index-')) : undefined;
  const store = given ?? (await openEmbeddedStore(dir ?? temp ?? ''));
  const release = async (): Promise<void> => {
    if (given !== undefined) return;
    await store.close();
    if (temp !== undefined) await rm(temp, { recursive: true, force: true });
  };
  try {
    const collection = await store.collection(name, { dims: await embeddingDims(embedder) });
    return new ImageSearchIndex(embedder, collection, release);
  } catch (error) {
    await release();
    throw error;
  }
}

async function embeddingDims(embedder: ImageEmbedder): Promise<number> {
  if (embedder.metadata.dims !== undefined) return embedder.metadata.dims;
  const probe = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).png().toBuffer();
  const dims = (await embedder.embedImages([probe]))[0]?.length ?? 0;
  if (dims === 0) throw new FerryError('MODEL_TASK_UNSUPPORTED', `${embedder.metadata.ref} returned no image embedding`, { field: 'embedder', hint: 'Use an image-embedding model such as a CLIP checkpoint.' });
  return dims;
}

/**
 * Text-to-image and image-to-image search over a `VectorCollection` of unit
 * image embeddings. Every record carries its content hash, so addFolder is
 * incremental and a crash half-way only leaves work for the next run.
 */
export class ImageSearchIndex {
  constructor(
    private readonly embedder: ImageEmbedder,
    readonly collection: VectorCollection,
    private readonly release: () => Promise<void> = async () => {},
  ) {}

  count(): Promise<number> {
    return this.collection.count();
  }

  /**
   * Makes the collection mirror the image files under `dir`: new and changed
   * files are embedded in batches (each durable when stored), unchanged ones
   * skipped, and records of this folder whose file is gone deleted. Ids are
   * paths relative to `dir`; files the header says are not images, or
   * that are over the size limits, are reported in `skipped`.
   */
  async addFolder(dir: string, options: AddFolderOptions = {}): Promise<FolderSyncReport> {
    const parsed = addFolderSchema.safeParse(options);
    if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what: 'addFolder options', fieldPrefix: 'options', hint: 'See AddFolderOptions: recursive, batchSize, maxBytes, maxPixels, metadata, onProgress, signal.' });
    const { recursive, batchSize, maxBytes, maxPixels, metadata: tag, onProgress, signal } = parsed.data;
    const root = resolve(dir);
    const files = await listImageFiles(root, recursive);
    const before = new Set(await this.collection.listIds({ folder: root }));
    const seen = new Set<string>();
    const report: FolderSyncReport = { total: files.length, added: 0, updated: 0, unchanged: 0, removed: 0, skipped: [] };
    for (let i = 0; i < files.length; i += batchSize) {
      signal?.throwIfAborted();
      const slice = files.slice(i, i + batchSize);
      const ids = slice.map((file) => relativeId(root, file));
      const known = new Map((await this.collection.get(ids)).map((r) => [r.id, r]));
      const embed: Array<{ id: string; data: Uint8Array; metadata: Record<string, MetadataValue> }> = [];
      const retag: VectorRecord[] = [];
      for (const [j, file] of slice.entries()) {
        const id = ids[j] ?? '';
        let image;
        try {
          image = await readImageFile(file, { maxBytes, maxPixels });
        } catch (error) {
          report.skipped.push({ path: id, message: error instanceof Error ? error.message : String(error) });
          continue;
        }
        seen.add(id);
        const { data, ...facts } = image;
        const metadata: Record<string, MetadataValue> = { ...checkCallerMetadata(tag?.(id), id), folder: root, path: id, dir: posix.dirname(id) === '.' ? '' : posix.dirname(id), ...facts };
        const previous = known.get(id);
        if (previous !== undefined && previous.metadata.folder !== root) {
          const from = previous.metadata.folder === undefined ? 'add()' : String(previous.metadata.folder);
          throw new FerryError('INPUT_INVALID', `${id} is already in collection "${this.collection.name}" from ${from}`, {
            field: 'folder',
            hint: 'Ids are paths relative to the folder: index each folder in its own collection.',
          });
        }
        if (previous?.metadata.contentHash === facts.contentHash) {
          if (sameMetadata(previous.metadata, metadata)) report.unchanged++;
          else {
            retag.push({ ...previous, metadata });
            report.updated++;
          }
          continue;
        }
        if (previous === undefined) report.added++;
        else report.updated++;
        embed.push({ id, data, metadata });
      }
      const vectors = embed.length > 0 ? await this.embedder.embedImages(embed.map((e) => e.data), signal ? { signal } : {}) : [];
      const records = embed.map((e, j) => ({ id: e.id, vector: normalize(vectors[j] ?? new Float32Array(0)), text: e.id, metadata: e.metadata }));
      if (records.length + retag.length > 0) await this.collection.upsert([...records, ...retag]);
      onProgress?.(Math.min(i + batchSize, files.length), files.length);
    }
    const gone = [...before].filter((id) => !seen.has(id));
    if (gone.length > 0) await this.collection.delete(gone);
    report.removed = gone.length;
    return report;
  }

  /** Adds or replaces images under ids of the caller's choosing (no folder bookkeeping). */
  async add(items: Array<{ id: string; image: ImageInput; metadata?: Record<string, MetadataValue> }>, options: EmbedOptions = {}): Promise<void> {
    const vectors = await this.embedder.embedImages(
      items.map((item) => item.image),
      options,
    );
    await this.collection.upsert(items.map((item, i) => ({ id: item.id, vector: normalize(vectors[i] ?? new Float32Array(0)), text: item.id, metadata: checkCallerMetadata(item.metadata, item.id) })));
  }

  remove(ids: string[]): Promise<void> {
    return this.collection.delete(ids);
  }

  async searchText(query: string, k = 5, options: SearchOptions = {}): Promise<ImageHit[]> {
    const [vector] = await requireTextSide(this.embedder)([query], embedOptions(options));
    return this.nearest(vector ?? new Float32Array(0), k, options.filter);
  }

  async searchImage(image: ImageInput, k = 5, options: SearchOptions = {}): Promise<ImageHit[]> {
    const [vector] = await this.embedder.embedImages([image], embedOptions(options));
    return this.nearest(vector ?? new Float32Array(0), k, options.filter);
  }

  /** Cosine top-k by the store (exact for small collections, HNSW above the embedded store's threshold). */
  async nearest(query: Float32Array, k: number, filter?: MetadataFilter): Promise<ImageHit[]> {
    if (!kSchema.safeParse(k).success) throw new FerryError('INPUT_INVALID', `k must be an integer from 1 to 10000, got ${String(k)}`, { field: 'k', hint: 'Ask for e.g. the 5 nearest images.' });
    const hits = await this.collection.query({ vector: normalize(query), k, ...(filter === undefined ? {} : { filter }) });
    return hits.map((hit) => ({ id: hit.id, score: hit.score, metadata: hit.metadata }));
  }

  /** Closes the store when the index opened it (and deletes a temporary one). */
  close(): Promise<void> {
    return this.release();
  }
}

function embedOptions(options: SearchOptions): EmbedOptions {
  return options.signal ? { signal: options.signal } : {};
}

function checkCallerMetadata(metadata: Record<string, MetadataValue> | undefined, id: string): Record<string, MetadataValue> {
  const parsed = callerMetadata.safeParse(metadata ?? {});
  if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what: `metadata for ${id}`, fieldPrefix: 'metadata', hint: 'Metadata is flat string, number or boolean values under your own keys.' });
  return parsed.data;
}

/** Equal apart from mtimeMs: touching a file without changing it is not an update. */
function sameMetadata(a: Record<string, MetadataValue>, b: Record<string, MetadataValue>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  keys.delete('mtimeMs');
  return [...keys].every((key) => a[key] === b[key]);
}
