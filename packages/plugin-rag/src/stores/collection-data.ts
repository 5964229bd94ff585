import type { KernelRegistry } from '@ferry/core';
import type { MetadataValue } from '../documents/chunk.js';
import { exactTopK } from './exact-search.js';
import { rowsFingerprint, type GraphFile, type GraphHeader } from './graph-file.js';
import { HnswIndex, type HnswGraph, type HnswParams } from './hnsw-index.js';
import { matchesFilter } from './metadata-filter.js';
import type { StoreOp } from './store-frame.js';
import { VectorArena } from './vector-arena.js';
import type { MetadataFilter, VectorHit, VectorQuery, VectorRecord } from './vector-store.js';

export interface SearchSettings {
  /** Candidate sets (live rows passing the filter) at least this big go through the HNSW index. */
  annThreshold: number;
  hnsw: HnswParams;
}

type Metadata = Record<string, MetadataValue>;

const SNAPSHOT_BATCH_ROWS = 8192;

/**
 * The in-memory content of one embedded collection. Rows are append-only: a
 * replaced or deleted record leaves a dead row (HNSW nodes cannot be moved),
 * and the rows are repacked when the dead outnumber the live.
 */
export class CollectionData {
  arena: VectorArena;
  private ids: string[] = [];
  private texts: string[] = [];
  private metadatas: Metadata[] = [];
  private alive = new Uint8Array(0);
  private readonly rowOf = new Map<string, number>();
  private rows = 0;
  private index: HnswIndex | undefined;
  /** Times the index was built from scratch since the store was opened. */
  indexBuilds = 0;
  /** Whether the current index came from a graph file. */
  indexLoaded = false;
  /**
   * Whether row numbers are those a replay of the log gives. A compaction
   * that drops dead rows renumbers the replay (not the rows in memory), so
   * until the store is opened again the graph cannot be saved.
   */
  private rowsFollowLog = true;
  /** Queries in flight: the arena must not move under an async kernel that reads it. */
  private readers = 0;
  private readersDone: (() => void)[] = [];

  constructor(
    readonly name: string,
    readonly dims: number,
    readonly settings: SearchSettings,
  ) {
    this.arena = new VectorArena(dims);
  }

  get count(): number {
    return this.rowOf.size;
  }

  /** Whether queries of this size use the ANN index (for tests and benchmarks). */
  get indexed(): boolean {
    return this.index !== undefined;
  }

  async applyUpsert(ids: string[], texts: string[], metadatas: Metadata[], vectors: Float32Array): Promise<void> {
    await this.noReaders();
    const dims = this.dims;
    this.reserve(this.rows + ids.length);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const old = this.rowOf.get(id);
      if (old !== undefined) this.alive[old] = 0;
      const row = this.rows++;
      this.arena.setRow(row, vectors.subarray(i * dims, (i + 1) * dims));
      this.ids[row] = id;
      this.texts[row] = texts[i]!;
      this.metadatas[row] = metadatas[i]!;
      this.alive[row] = 1;
      this.rowOf.set(id, row);
      this.index?.add(row);
    }
    this.repackIfSparse();
  }

  async applyDelete(ids: string[]): Promise<void> {
    await this.noReaders();
    for (const id of ids) {
      const row = this.rowOf.get(id);
      if (row === undefined) continue;
      this.alive[row] = 0;
      this.rowOf.delete(id);
    }
    this.repackIfSparse();
  }

  /** Frames that recreate the live content, for a snapshot. */
  *snapshotOps(): Generator<StoreOp> {
    yield { op: 'create', name: this.name, dims: this.dims };
    const live = [...this.rowOf.values()].sort((a, b) => a - b);
    for (let start = 0; start < live.length; start += SNAPSHOT_BATCH_ROWS) {
      const rows = live.slice(start, start + SNAPSHOT_BATCH_ROWS);
      const vectors = new Float32Array(rows.length * this.dims);
      rows.forEach((row, i) => vectors.set(this.arena.row(row), i * this.dims));
      yield {
        op: 'upsert',
        name: this.name,
        ids: rows.map((row) => this.ids[row]!),
        texts: rows.map((row) => this.texts[row]!),
        metadatas: rows.map((row) => this.metadatas[row]!),
        vectors,
      };
    }
  }

  /** After the store wrote a snapshot of this collection. */
  compacted(): void {
    if (this.rows !== this.rowOf.size) this.rowsFollowLog = false;
  }

  /** The index and what it was built on, for a graph file; undefined when there is none to save. */
  graphToSave(): { header: Omit<GraphHeader, 'version' | 'nodes' | 'entry' | 'maxLevel' | 'rng' | 'upperLength' | 'generation' | 'walBytes'>; graph: HnswGraph } | undefined {
    if (this.index === undefined || !this.rowsFollowLog) return undefined;
    const { m, efConstruction, seed } = this.settings.hnsw;
    return {
      header: { collection: this.name, dims: this.dims, rows: this.rows, fingerprint: rowsFingerprint(this.arena.vectors, this.rows, this.dims), m, efConstruction, seed },
      graph: this.index.exportGraph(),
    };
  }

  /**
   * Takes a saved graph as the index when it was built with these settings
   * over exactly these rows and every live row is in it; false otherwise.
   */
  attachGraph({ header, graph }: GraphFile): boolean {
    const { m, efConstruction, seed } = this.settings.hnsw;
    if (header.collection !== this.name || header.dims !== this.dims || header.m !== m || header.efConstruction !== efConstruction || header.seed !== seed) return false;
    if (header.rows !== this.rows || graph.nodes > this.rows || header.fingerprint !== rowsFingerprint(this.arena.vectors, this.rows, this.dims)) return false;
    const index = HnswIndex.fromGraph(this.arena, this.settings.hnsw, graph);
    if (index === undefined) return false;
    for (let row = 0; row < this.rows; row++) if (this.alive[row] === 1 && !index.has(row)) return false;
    this.index = index;
    this.indexLoaded = true;
    return true;
  }

  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  get(ids: string[]): VectorRecord[] {
    const out: VectorRecord[] = [];
    for (const id of ids) {
      const row = this.rowOf.get(id);
      if (row === undefined) continue;
      out.push({ id, vector: this.arena.row(row).slice(), text: this.texts[row]!, metadata: { ...this.metadatas[row]! } });
    }
    return out;
  }

  listIds(filter?: MetadataFilter): string[] {
    const out: string[] = [];
    for (let row = 0; row < this.rows; row++) {
      if (this.alive[row] === 1 && (filter === undefined || matchesFilter(this.metadatas[row]!, filter))) out.push(this.ids[row]!);
    }
    return out;
  }

  async query(kernels: KernelRegistry, query: VectorQuery, efSearch: number): Promise<VectorHit[]> {
    let allowed = this.alive;
    let candidates = this.rowOf.size;
    if (query.filter !== undefined) {
      allowed = new Uint8Array(this.rows);
      candidates = 0;
      for (let row = 0; row < this.rows; row++) {
        if (this.alive[row] === 1 && matchesFilter(this.metadatas[row]!, query.filter)) {
          allowed[row] = 1;
          candidates++;
        }
      }
    }
    const k = Math.min(query.k, candidates);
    if (k === 0) return [];
    if (candidates >= this.settings.annThreshold) {
      const index = this.ensureIndex();
      // Without a filter or dead rows every node is allowed: no mask to look up per result.
      const mask = candidates === this.rows ? undefined : allowed;
      const found = index.search(query.vector, k, Math.max(efSearch, k), mask);
      // A selective filter can starve the beam; then the exact path answers.
      if (found.nodes.length >= k) {
        return [...found.nodes].map((row, i) => this.hit(row, 1 - found.distances[i]!));
      }
    }
    this.readers++;
    try {
      const { rows, scores } = await exactTopK(kernels, this.arena, this.rows, allowed, query.vector, k);
      return rows.map((row, i) => this.hit(row, scores[i]!));
    } finally {
      this.readers--;
      if (this.readers === 0) for (const done of this.readersDone.splice(0)) done();
    }
  }

  private hit(row: number, score: number): VectorHit {
    return { id: this.ids[row]!, score, text: this.texts[row]!, metadata: { ...this.metadatas[row]! } };
  }

  private ensureIndex(): HnswIndex {
    if (this.index === undefined) {
      const index = new HnswIndex(this.arena, this.settings.hnsw);
      for (let row = 0; row < this.rows; row++) if (this.alive[row] === 1) index.add(row);
      this.index = index;
      this.indexLoaded = false;
      this.indexBuilds++;
    }
    return this.index;
  }

  private noReaders(): Promise<void> {
    return this.readers === 0 ? Promise.resolve() : new Promise((resolve) => this.readersDone.push(resolve));
  }

  private reserve(rows: number): void {
    this.arena.reserve(rows);
    if (this.alive.length < this.arena.capacity) {
      const alive = new Uint8Array(this.arena.capacity);
      alive.set(this.alive);
      this.alive = alive;
    }
  }

  private repackIfSparse(): void {
    const dead = this.rows - this.rowOf.size;
    if (dead < 1024 || dead < this.rowOf.size) return;
    const live = [...this.rowOf.values()].sort((a, b) => a - b);
    const arena = new VectorArena(this.dims, live.length + 1);
    const ids: string[] = [];
    const texts: string[] = [];
    const metadatas: Metadata[] = [];
    live.forEach((row, i) => {
      arena.setRow(i, this.arena.row(row));
      ids.push(this.ids[row]!);
      texts.push(this.texts[row]!);
      metadatas.push(this.metadatas[row]!);
      this.rowOf.set(this.ids[row]!, i);
    });
    this.arena = arena;
    this.ids = ids;
    this.texts = texts;
    this.metadatas = metadatas;
    this.rows = live.length;
    this.alive = new Uint8Array(arena.capacity).fill(1, 0, live.length);
    // Rebuilt from the packed rows at the next query that needs it.
    this.index = undefined;
  }
}
