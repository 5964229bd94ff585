import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FerryError, defineStep, fromZodError, isFerryError, pipeline, type Embedder, type PipelineEventListener } from '@ferry/core';
import { z } from 'zod';
import type { Chunk } from '../documents/chunk.js';
import { loadFile, scanSourceFiles, type SourceFile } from '../loaders/index.js';
import { KeywordIndex } from '../retrieval/keyword-index.js';
import { splitDocuments, type SplitOptions } from '../splitters/index.js';
import type { VectorCollection, VectorRecord, VectorStore } from '../stores/vector-store.js';
import { chunkMetadata } from './chunk-metadata.js';
import { loadManifest, saveManifest, type IngestManifest, type ManifestEntry } from './manifest.js';
import { STATE_DIR_NAME, statePaths } from './state-paths.js';

export interface IngestOptions {
  /** Folder to ingest; chunk sources are paths relative to it. */
  root: string;
  store: VectorStore;
  collection: string;
  embedder: Embedder;
  /** Globs (relative to root) of files to take; every supported file by default. */
  include?: string[];
  exclude?: string[];
  /** Follow links that lead out of `root` (off by default; see SourceFileOptions.followLinksOutsideRoot). */
  followLinksOutsideRoot?: boolean;
  split?: SplitOptions;
  /**
   * Where the manifest and the BM25 keyword index of the collection live;
   * `<root>/.ferry-rag` by default (dot folders are never ingested).
   */
  stateDir?: string;
  /** Chunks per embedding call and per committed batch; 64 by default. */
  batchSize?: number;
  /** Pipeline events with per-file progress: pass core's renderProgress() for a bar on a terminal. */
  onEvent?: PipelineEventListener;
  signal?: AbortSignal;
}

export interface SkippedFile {
  source: string;
  /** unreadable, unsupported-type, empty, malformed, too-large (from the loaders), or error. */
  reason: string;
  message: string;
}

export interface IngestReport {
  added: string[];
  updated: string[];
  removed: string[];
  unchanged: number;
  skipped: SkippedFile[];
  chunksUpserted: number;
  chunksDeleted: number;
  /** Chunks in the collection after the run. */
  totalChunks: number;
  manifestPath: string;
  keywordIndexPath: string;
}

const optionsSchema = z.object({
  root: z.string().min(1),
  store: z.custom<VectorStore>((v) => typeof (v as VectorStore | null)?.collection === 'function', 'a VectorStore (openEmbeddedStore or connectChroma)'),
  collection: z.string().min(1),
  embedder: z.custom<Embedder>((v) => typeof (v as Embedder | null)?.embed === 'function', 'an Embedder'),
  include: z.array(z.string().min(1)).optional(),
  exclude: z.array(z.string().min(1)).optional(),
  followLinksOutsideRoot: z.boolean().optional(),
  split: z.record(z.string(), z.unknown()).optional(),
  stateDir: z.string().min(1).optional(),
  batchSize: z.number().int().min(1).max(10_000).default(64),
  onEvent: z.function().optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
});

interface PlannedFile extends SourceFile {
  contentHash: string;
  kind: 'added' | 'updated';
}

const planSchema = z.object({
  files: z.array(z.custom<PlannedFile>()),
  removed: z.array(z.string()),
  unchanged: z.number(),
  unreadable: z.array(z.custom<SkippedFile>()),
});
const doneSchema = z.object({ report: z.custom<IngestReport>() });

/**
 * Incremental, crash-safe ingest of a folder into a collection: unchanged
 * files (same sha256) are skipped, changed ones replace their chunks, removed
 * ones lose them, bad files are reported as skipped. Each batch is committed
 * in this order: store delete + upsert (durable when they resolve), keyword
 * index file, then the manifest, each written atomically. A crash at any
 * point leaves files the manifest does not vouch for, which the next run
 * redoes; ids are `${source}#${index}`, so redoing replaces, never duplicates.
 * A final sweep deletes any id the manifest does not list (chunks of a file
 * that was mid-ingest when a crash hit and is gone since), so the collection
 * holds exactly the manifest's chunks. The collection belongs to this root.
 */
export async function ingest(options: IngestOptions): Promise<IngestReport> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what: 'ingest options', fieldPrefix: 'options' });
  const { batchSize } = parsed.data;
  const { store, embedder, collection: name } = options;
  const root = resolve(options.root);
  const rootInfo = await stat(root).catch(() => undefined);
  if (!rootInfo?.isDirectory()) {
    throw new FerryError('INPUT_INVALID', `the ingest root ${root} is not a folder that can be read`, { field: 'root', hint: 'Pass the existing folder that holds the documents.' });
  }
  const stateDir = resolve(options.stateDir ?? join(root, STATE_DIR_NAME));
  await mkdir(stateDir, { recursive: true });
  const { manifestPath, keywordIndexPath } = statePaths(stateDir, name);

  const dims = embedder.metadata.dims ?? (await embedder.embed(['dimension probe']))[0]?.length;
  if (!dims) {
    throw new FerryError('INPUT_INVALID', `embedder ${embedder.metadata.ref} returned no vector`, { field: 'embedder', hint: 'Use an embedding model, e.g. "offline:hash-384".' });
  }
  const collection = await store.collection(name, { dims });
  let manifest = await loadManifest(manifestPath, name);
  // A manifest vouching for chunks of an empty collection describes another (or a wiped) store: start over.
  if (Object.keys(manifest.files).length > 0 && (await collection.count()) === 0) manifest = { ...manifest, files: {} };
  let keywords = (await KeywordIndex.load(keywordIndexPath)) ?? new KeywordIndex();
  // The keyword file is written before the manifest, so it lacks committed chunks only if someone removed it: rebuild.
  if (Object.values(manifest.files).some((f) => f.chunkIds.some((id) => !keywords.has(id)))) keywords = await KeywordIndex.fromCollection(collection);

  const scan = defineStep({
    name: 'scan',
    description: 'lists the files and compares their content hashes with the manifest',
    input: z.object({}),
    output: planSchema,
    run: async (_input, ctx) => {
      const scanned = await scanSourceFiles(root, {
        ...(options.include === undefined ? {} : { include: options.include }),
        exclude: [...(options.exclude ?? []), `${STATE_DIR_NAME}/**`],
        ...(options.followLinksOutsideRoot === undefined ? {} : { followLinksOutsideRoot: options.followLinksOutsideRoot }),
      });
      const listed = scanned.files;
      const files: PlannedFile[] = [];
      const unreadable: SkippedFile[] = scanned.unreadable.map((u) => ({ source: u.source, reason: 'unreadable', message: u.reason }));
      let unchanged = 0;
      for (const [i, file] of listed.entries()) {
        ctx.signal.throwIfAborted();
        let contentHash: string;
        try {
          contentHash = createHash('sha256').update(await readFile(file.path)).digest('hex');
        } catch (error) {
          unreadable.push({ source: file.source, reason: 'unreadable', message: (error as Error).message });
          continue;
        }
        const known = manifest.files[file.source];
        if (known?.contentHash === contentHash) unchanged++;
        else files.push({ ...file, contentHash, kind: known ? 'updated' : 'added' });
        ctx.emit({ current: i + 1, total: listed.length });
      }
      // Unreadable now is not deleted: a permission slip should not wipe a file's chunks.
      const present = new Set([...listed.map((f) => f.source), ...unreadable.map((u) => u.source)]);
      const removed = Object.keys(manifest.files).filter((source) => !present.has(source) && !unreadable.some((u) => source.startsWith(`${u.source}/`)));
      return { files, removed, unchanged, unreadable };
    },
  });

  const index = defineStep({
    name: 'index',
    description: 'loads, splits, embeds and stores changed files in committed batches',
    input: planSchema,
    output: doneSchema,
    run: async (plan, ctx) => {
      const report: IngestReport = {
        added: [],
        updated: [],
        removed: [],
        unchanged: plan.unchanged,
        skipped: [...plan.unreadable],
        chunksUpserted: 0,
        chunksDeleted: 0,
        totalChunks: 0,
        manifestPath,
        keywordIndexPath,
      };
      const commit = async (batch: Array<{ source: string; entry: ManifestEntry | undefined; chunks: Chunk[] }>): Promise<void> => {
        if (batch.length === 0) return;
        const chunks = batch.flatMap((b) => b.chunks);
        const vectors: Float32Array[] = [];
        for (let i = 0; i < chunks.length; i += batchSize) {
          vectors.push(...(await embedder.embed(chunks.slice(i, i + batchSize).map((c) => c.text), { signal: ctx.signal })));
        }
        const stale: string[] = [];
        for (const { source, chunks: fresh } of batch) {
          const keep = new Set(fresh.map((c) => c.id));
          for (const id of manifest.files[source]?.chunkIds ?? []) if (!keep.has(id)) stale.push(id);
        }
        if (stale.length > 0) await collection.delete(stale);
        const records: VectorRecord[] = chunks.map((c, i) => ({ id: c.id, vector: vectors[i] as Float32Array, text: c.text, metadata: chunkMetadata(c) }));
        if (records.length > 0) await collection.upsert(records);
        keywords.delete(stale);
        keywords.upsert(records);
        await keywords.save(keywordIndexPath);
        const files = { ...manifest.files };
        for (const { source, entry } of batch) {
          if (entry) files[source] = entry;
          else delete files[source];
        }
        manifest = { ...manifest, files };
        await saveManifest(manifestPath, manifest);
        report.chunksUpserted += records.length;
        report.chunksDeleted += stale.length;
      };

      // Removed files first: one commit that deletes their chunks and drops them from the manifest.
      await commit(plan.removed.map((source) => ({ source, entry: undefined, chunks: [] })));
      report.removed.push(...plan.removed);

      let batch: Array<{ source: string; entry: ManifestEntry; chunks: Chunk[]; kind: PlannedFile['kind'] }> = [];
      let pending = 0;
      for (const [i, file] of plan.files.entries()) {
        ctx.signal.throwIfAborted();
        const loaded = await loadChunks(file, root, options.split);
        if ('skipped' in loaded) report.skipped.push(loaded.skipped);
        else {
          const entry = { contentHash: file.contentHash, chunkIds: loaded.chunks.map((c) => c.id), size: file.size, mtimeMs: file.mtimeMs };
          batch.push({ source: file.source, entry, chunks: loaded.chunks, kind: file.kind });
          pending += loaded.chunks.length;
        }
        if (pending >= batchSize || i === plan.files.length - 1) {
          await commit(batch);
          for (const b of batch) (b.kind === 'added' ? report.added : report.updated).push(b.source);
          batch = [];
          pending = 0;
        }
        ctx.emit({ current: i + 1, total: plan.files.length, message: file.source });
      }
      report.chunksDeleted += await sweep(collection, keywords, manifest, keywordIndexPath);
      report.totalChunks = await collection.count();
      return { report };
    },
  });

  const run = pipeline('rag.ingest', scan, index);
  const { output } = await run.run({}, {
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return output.report;
}

/** Loads and splits one file; a loader error or a file with no text becomes a skip with its reason. */
async function loadChunks(file: PlannedFile, root: string, split: SplitOptions | undefined): Promise<{ chunks: Chunk[] } | { skipped: SkippedFile }> {
  try {
    const documents = await loadFile(file.path, { root });
    // The manifest's hash is of the bytes read at scan time; the chunks carry the same.
    const chunks = splitDocuments(
      documents.map((d) => ({ ...d, metadata: { ...d.metadata, contentHash: file.contentHash } })),
      split,
    );
    if (chunks.length === 0) return { skipped: { source: file.source, reason: 'empty', message: `${file.source}: no text to index` } };
    return { chunks };
  } catch (error) {
    const reason = isFerryError(error) && typeof error.details?.['reason'] === 'string' ? (error.details['reason'] as string) : 'error';
    return { skipped: { source: file.source, reason, message: error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error) } };
  }
}

/** Deletes from the store and the keyword index every id the manifest does not list; returns how many left the store. */
async function sweep(collection: VectorCollection, keywords: KeywordIndex, manifest: IngestManifest, keywordIndexPath: string): Promise<number> {
  const expected = new Set(Object.values(manifest.files).flatMap((f) => f.chunkIds));
  const orphans = (await collection.listIds()).filter((id) => !expected.has(id));
  if (orphans.length > 0) await collection.delete(orphans);
  const strayKeywords = keywords.ids().filter((id) => !expected.has(id));
  if (strayKeywords.length > 0 || orphans.length > 0) {
    keywords.delete(strayKeywords);
    await keywords.save(keywordIndexPath);
  }
  return orphans.length;
}

