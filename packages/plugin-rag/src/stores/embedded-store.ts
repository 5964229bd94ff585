import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { defaultKernels, FerryError, fromZodError, type KernelRegistry } from '@ferry/core';
import { z } from 'zod';
import { CollectionData, type SearchSettings } from './collection-data.js';
import { graphFileName, listGraphFiles, readGraphFiles, removeGraphFile, writeGraphFile, type GraphFile, type LogPosition } from './graph-file.js';
import { DEFAULT_HNSW_PARAMS } from './hnsw-index.js';
import { checkMetadataFilter } from './metadata-filter.js';
import { checkCollectionName, checkDims, checkIds, checkQuery, checkRecords, dimsMismatch } from './store-input.js';
import type { StoreOp } from './store-frame.js';
import { acquireStoreLock } from './store-lock.js';
import { StoreLog } from './store-log.js';
import type { MetadataFilter, VectorCollection, VectorHit, VectorQuery, VectorRecord, VectorStore } from './vector-store.js';

const optionsSchema = z
  .object({
    annThreshold: z.number().int().min(1).default(20_000),
    hnsw: z
      .object({
        m: z.number().int().min(2).max(128).default(DEFAULT_HNSW_PARAMS.m),
        efConstruction: z.number().int().min(1).max(10_000).default(DEFAULT_HNSW_PARAMS.efConstruction),
        efSearch: z.number().int().min(1).max(10_000).default(DEFAULT_HNSW_PARAMS.efSearch),
      })
      .strict()
      .default({ m: DEFAULT_HNSW_PARAMS.m, efConstruction: DEFAULT_HNSW_PARAMS.efConstruction, efSearch: DEFAULT_HNSW_PARAMS.efSearch }),
    /** Log size (bytes) under which no compaction happens; above it, once the log outgrows the last snapshot. */
    compactMinBytes: z.number().int().min(0).default(64 * 2 ** 20),
    kernels: z.custom<KernelRegistry>((v) => typeof v === 'object' && v !== null && 'ops' in v, 'a KernelRegistry').optional(),
  })
  .strict();

export type EmbeddedStoreOptions = z.input<typeof optionsSchema>;

/**
 * Opens (or creates) an embedded vector store in `dir`: no server, exact
 * search under `annThreshold` vectors and HNSW above, every change synced to
 * a write-ahead log before it resolves. One process at a time may open a
 * folder (a LOCK file says which). The HNSW graph is built by the first
 * query that needs it, then saved beside the log at close (and after each
 * compaction) with the log position it covers: the next open loads it and
 * only adds the rows logged after that position. A graph file that is
 * damaged, stale or built over other vectors is dropped and the graph
 * rebuilt, never trusted.
 */
export async function openEmbeddedStore(dir: string, options: EmbeddedStoreOptions = {}): Promise<EmbeddedStore> {
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new FerryError('INPUT_INVALID', 'the embedded store needs a folder path', { field: 'dir', hint: 'Pass a folder, e.g. ".ferry/vectors"; it is created when missing.' });
  }
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what: 'embedded store options', fieldPrefix: 'options', hint: 'See EmbeddedStoreOptions: annThreshold, hnsw { m, efConstruction, efSearch }, compactMinBytes, kernels.' });
  const settings = parsed.data;
  const path = resolve(dir);
  await mkdir(path, { recursive: true });
  const release = await acquireStoreLock(path);
  try {
    const { log, ops, tornBytes, positions } = await StoreLog.open(path);
    const graphs = await readGraphFiles(path);
    const search: SearchSettings = { annThreshold: settings.annThreshold, hnsw: { ...DEFAULT_HNSW_PARAMS, ...settings.hnsw } };
    const store = new EmbeddedStore(path, log, release, search, settings.compactMinBytes, settings.kernels ?? (await defaultKernels()), tornBytes);
    await store.replay(ops, positions, graphs);
    return store;
  } catch (error) {
    await release();
    throw error;
  }
}

export class EmbeddedStore implements VectorStore {
  readonly kind = 'embedded' as const;
  private readonly data = new Map<string, CollectionData>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Per collection, the log position its graph file on disk covers. */
  private readonly savedGraphs = new Map<string, string>();

  constructor(
    readonly dir: string,
    private readonly log: StoreLog,
    private readonly release: () => Promise<void>,
    private readonly settings: SearchSettings,
    private readonly compactMinBytes: number,
    readonly kernels: KernelRegistry,
    /** Bytes of an unfinished write cut off when the store was opened (0 after a clean close). */
    readonly recoveredTornBytes: number,
  ) {}

  async collection(name: string, options: { dims: number }): Promise<EmbeddedCollection> {
    checkCollectionName(name);
    checkDims(options?.dims);
    const dims = options.dims;
    return this.write(async () => {
      const existing = this.data.get(name);
      if (existing !== undefined) {
        if (existing.dims !== dims) throw dimsMismatch(name, existing.dims, dims);
        return new EmbeddedCollection(this, existing);
      }
      await this.commit({ op: 'create', name, dims });
      return new EmbeddedCollection(this, this.data.get(name)!);
    });
  }

  async listCollections(): Promise<string[]> {
    this.checkOpen();
    return [...this.data.keys()].sort();
  }

  /** Removes the collection and its vectors; nothing happens when there is none of that name. */
  async deleteCollection(name: string): Promise<void> {
    checkCollectionName(name);
    await this.write(async () => {
      if (this.data.has(name)) await this.commit({ op: 'drop', name });
    });
  }

  /** Writes a snapshot of everything and empties the log (also done on its own as the log grows). */
  async compact(): Promise<void> {
    await this.write(() => this.compactNow());
  }

  /** Saves the HNSW graphs built or grown since they were last saved, then releases the folder. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue.catch(() => undefined);
    this.closed = true;
    try {
      await this.saveGraphs();
    } finally {
      await this.log.close();
      await this.release();
    }
  }

  /**
   * @internal Applies the frames read at open; a saved graph is attached when
   * the replay reaches the log position it covers, so only later rows are
   * inserted into it. Graph files that find no taker are removed.
   */
  async replay(ops: StoreOp[], positions: LogPosition[], graphs: GraphFile[]): Promise<void> {
    const pending = new Map<string, GraphFile[]>();
    for (const file of graphs) {
      const key = positionKey(file.header);
      pending.set(key, [...(pending.get(key) ?? []), file]);
    }
    const attach = (position: LogPosition) => {
      const key = positionKey(position);
      for (const file of pending.get(key) ?? []) {
        if (this.data.get(file.header.collection)?.attachGraph(file)) this.savedGraphs.set(file.header.collection, key);
      }
      pending.delete(key);
    };
    for (let i = 0; i < ops.length; i++) {
      attach(positions[i]!);
      await this.apply(ops[i]!);
    }
    attach(positions[ops.length]!);
    for (const name of await listGraphFiles(this.dir)) {
      if (![...this.savedGraphs.keys()].some((collection) => graphFileName(collection) === name)) await removeGraphFile(this.dir, name);
    }
  }

  /** @internal The collection's current data, or an error when it was deleted. */
  current(data: CollectionData): CollectionData {
    this.checkOpen();
    if (this.data.get(data.name) !== data) {
      throw new FerryError('INPUT_INVALID', `collection "${data.name}" was deleted`, {
        field: 'name',
        hint: `Open it again with store.collection("${data.name}", { dims }) to start a new one.`,
      });
    }
    return data;
  }

  /** @internal Runs `fn` after every earlier write, one at a time. */
  write<T>(fn: () => Promise<T>): Promise<T> {
    this.checkOpen();
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** @internal Logs (synced) then applies one change; compacts when the log has grown. */
  async commit(op: StoreOp): Promise<void> {
    await this.log.append(op);
    await this.apply(op);
    if (this.log.logBytes > Math.max(this.compactMinBytes, this.log.lastSnapshotBytes)) await this.compactNow();
  }

  private async compactNow(): Promise<void> {
    const collections = [...this.data.values()];
    await this.log.compact((function* () {
      for (const collection of collections) yield* collection.snapshotOps();
    })());
    for (const collection of collections) collection.compacted();
    // The change that triggered this is committed; a graph that cannot be written now is
    // only a slower next open (rebuilt, or written at close), so the commit does not fail for it.
    await this.saveGraphs().catch(() => undefined);
  }

  /** Writes the graph of every indexed collection whose file does not cover the current log position; removes files of collections without one. */
  private async saveGraphs(): Promise<void> {
    const position = this.log.position;
    const key = positionKey(position);
    for (const collection of this.data.values()) {
      if (this.savedGraphs.get(collection.name) === key) continue;
      const saved = collection.graphToSave();
      if (saved === undefined) {
        this.savedGraphs.delete(collection.name);
        continue;
      }
      await writeGraphFile(this.dir, { ...saved.header, ...position }, saved.graph);
      this.savedGraphs.set(collection.name, key);
    }
    const keep = new Set([...this.savedGraphs.keys()].map(graphFileName));
    for (const name of await listGraphFiles(this.dir)) if (!keep.has(name)) await removeGraphFile(this.dir, name);
  }

  private async apply(op: StoreOp): Promise<void> {
    switch (op.op) {
      case 'create':
        this.data.set(op.name, new CollectionData(op.name, op.dims, this.settings));
        this.savedGraphs.delete(op.name);
        return;
      case 'drop':
        this.data.delete(op.name);
        this.savedGraphs.delete(op.name);
        return;
      case 'upsert':
        await this.data.get(op.name)?.applyUpsert(op.ids, op.texts, op.metadatas, op.vectors);
        return;
      case 'delete':
        await this.data.get(op.name)?.applyDelete(op.ids);
        return;
      case 'end':
        return;
    }
  }

  private checkOpen(): void {
    if (this.closed) {
      throw new FerryError('INPUT_INVALID', `vector store ${this.dir} is closed`, { field: 'store', hint: 'Open it again with openEmbeddedStore().' });
    }
  }
}

export class EmbeddedCollection implements VectorCollection {
  readonly name: string;
  readonly dims: number;
  /** Beam width of HNSW searches (raised to k); the store's `hnsw.efSearch` by default. */
  efSearch: number;

  constructor(
    private readonly store: EmbeddedStore,
    private readonly data: CollectionData,
  ) {
    this.name = data.name;
    this.dims = data.dims;
    this.efSearch = data.settings.hnsw.efSearch;
  }

  /** Whether the HNSW index is built (it is, lazily, once a query's candidates reach annThreshold). */
  get indexed(): boolean {
    return this.store.current(this.data).indexed;
  }

  /** Times this open store built the HNSW index from scratch (0 when it was loaded from the saved graph). */
  get indexBuilds(): number {
    return this.store.current(this.data).indexBuilds;
  }

  /** Whether the HNSW index in use was loaded from the graph saved with the store. */
  get indexLoaded(): boolean {
    return this.store.current(this.data).indexLoaded;
  }

  async upsert(records: VectorRecord[]): Promise<void> {
    checkRecords(records, this.dims);
    if (records.length === 0) return;
    const vectors = new Float32Array(records.length * this.dims);
    records.forEach((record, i) => vectors.set(record.vector, i * this.dims));
    const op: StoreOp = {
      op: 'upsert',
      name: this.name,
      ids: records.map((r) => r.id),
      texts: records.map((r) => r.text),
      metadatas: records.map((r) => ({ ...r.metadata })),
      vectors,
    };
    await this.store.write(async () => {
      this.store.current(this.data);
      await this.store.commit(op);
    });
  }

  async delete(ids: string[]): Promise<void> {
    checkIds(ids);
    if (ids.length === 0) return;
    await this.store.write(async () => {
      const data = this.store.current(this.data);
      const present = ids.filter((id) => data.has(id));
      if (present.length > 0) await this.store.commit({ op: 'delete', name: this.name, ids: present });
    });
  }

  async query(query: VectorQuery): Promise<VectorHit[]> {
    checkQuery(query, this.dims);
    return this.store.current(this.data).query(this.store.kernels, query, this.efSearch);
  }

  async get(ids: string[]): Promise<VectorRecord[]> {
    checkIds(ids);
    return this.store.current(this.data).get(ids);
  }

  async listIds(filter?: MetadataFilter): Promise<string[]> {
    if (filter !== undefined) checkMetadataFilter(filter);
    return this.store.current(this.data).listIds(filter);
  }

  async count(): Promise<number> {
    return this.store.current(this.data).count;
  }
}

const positionKey = ({ generation, walBytes }: LogPosition) => `${generation}:${walBytes}`;
