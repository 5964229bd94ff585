import { mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { FerryError } from '@ferry/core';
import type { LogPosition } from './graph-file.js';
import { decodeFrames, encodeFrame, type StoreOp } from './store-frame.js';

const SNAPSHOT = /^snapshot-(\d{8})\.bin$/;
const WAL = /^wal-(\d{8})\.log$/;
const snapshotName = (generation: number) => `snapshot-${String(generation).padStart(8, '0')}.bin`;
const walName = (generation: number) => `wal-${String(generation).padStart(8, '0')}.log`;

export interface OpenedLog {
  log: StoreLog;
  /** Everything the store holds: the snapshot's frames, then the log's. */
  ops: StoreOp[];
  /** Bytes of a torn log tail that were cut off (an upsert that never resolved). */
  tornBytes: number;
  /** `positions[i]`: the log position just before `ops[i]` (and, at `ops.length`, after the last). */
  positions: LogPosition[];
}

/**
 * The durable side of an embedded store: a snapshot (generation g) plus a
 * write-ahead log of the changes since (wal-g). Each append is synced before
 * it resolves; compaction writes snapshot g+1 beside the old files (temp,
 * fsync, rename, fsync of the folder), starts wal-g+1, then removes
 * generation g. A crash at any point leaves one complete generation.
 */
export class StoreLog {
  private constructor(
    private readonly dir: string,
    private generation: number,
    private wal: FileHandle,
    private walSize: number,
    private snapshotSize: number,
  ) {}

  static async open(dir: string): Promise<OpenedLog> {
    await mkdir(dir, { recursive: true });
    const names = await readdir(dir);
    const generations = names
      .map((name) => SNAPSHOT.exec(name)?.[1])
      .filter((g): g is string => g !== undefined)
      .map(Number)
      .sort((a, b) => b - a);
    // Compaction renames a complete snapshot into place, so the newest one is whole unless something else damaged it.
    const generation = generations[0] ?? 0;
    let ops: StoreOp[] = [];
    let snapshotSize = 0;
    if (generations.length > 0) {
      const data = await readFile(join(dir, snapshotName(generation)));
      const decoded = decodeFrames(data, new Map());
      const last = decoded.ops.at(-1);
      if (decoded.validBytes !== data.length || last?.op !== 'end' || last.generation !== generation) {
        throw new FerryError('INPUT_INVALID', `snapshot ${snapshotName(generation)} of vector store ${dir} is damaged`, {
          field: 'dir',
          hint: 'Snapshots are only ever replaced atomically, so something outside Ferry changed the file; restore the folder from a backup.',
        });
      }
      ops = decoded.ops.slice(0, -1);
      snapshotSize = data.length;
    }
    const walPath = join(dir, walName(generation));
    const wal = await open(walPath, 'a+');
    await syncDir(dir);
    const walData = await wal.readFile();
    const dims = new Map<string, number>();
    for (const op of ops) if (op.op === 'create') dims.set(op.name, op.dims);
    const decoded = decodeFrames(walData, dims);
    const tornBytes = walData.length - decoded.validBytes;
    if (tornBytes > 0) {
      await wal.truncate(decoded.validBytes);
      await wal.datasync();
    }
    const log = new StoreLog(dir, generation, wal, decoded.validBytes, snapshotSize);
    await log.removeOtherGenerations(names);
    const positions: LogPosition[] = ops.map(() => ({ generation, walBytes: -1 }));
    positions.push({ generation, walBytes: 0 }, ...decoded.ends.map((walBytes) => ({ generation, walBytes })));
    return { log, ops: [...ops, ...decoded.ops], tornBytes, positions };
  }

  /** Where the log stands now: everything committed so far. */
  get position(): LogPosition {
    return { generation: this.generation, walBytes: this.walSize };
  }

  /** Bytes in the log since the last snapshot. */
  get logBytes(): number {
    return this.walSize;
  }

  get lastSnapshotBytes(): number {
    return this.snapshotSize;
  }

  /** Appends one change and syncs it to disk; on failure the log is as before. */
  async append(op: StoreOp): Promise<void> {
    const buffers = encodeFrame(op);
    const total = buffers.reduce((sum, b) => sum + b.length, 0);
    try {
      const { bytesWritten } = await this.wal.writev(buffers);
      if (bytesWritten !== total) throw new Error(`short write: ${bytesWritten} of ${total} bytes`);
      await this.wal.datasync();
    } catch (error) {
      await this.wal.truncate(this.walSize).catch(() => undefined);
      throw new FerryError('INPUT_INVALID', `could not write to the vector store log in ${this.dir}: ${(error as Error).message}`, {
        field: 'dir',
        hint: 'Check free disk space and write permission on the store folder; nothing of this change was kept.',
        cause: error,
      });
    }
    this.walSize += total;
  }

  /** Replaces snapshot and log by a snapshot of `state` (the store's whole content). */
  async compact(state: Iterable<StoreOp>): Promise<void> {
    const next = this.generation + 1;
    const target = join(this.dir, snapshotName(next));
    const temp = `${target}.tmp`;
    const handle = await open(temp, 'w');
    let size = 0;
    try {
      for (const op of [...state, { op: 'end', generation: next } as const]) {
        const buffers = encodeFrame(op);
        const total = buffers.reduce((sum, b) => sum + b.length, 0);
        const { bytesWritten } = await handle.writev(buffers);
        if (bytesWritten !== total) throw new Error(`short write: ${bytesWritten} of ${total} bytes`);
        size += total;
      }
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    await rename(temp, target);
    await syncDir(this.dir);
    const wal = await open(join(this.dir, walName(next)), 'a+');
    await syncDir(this.dir);
    await this.wal.close();
    this.wal = wal;
    this.walSize = 0;
    this.snapshotSize = size;
    this.generation = next;
    await this.removeOtherGenerations(await readdir(this.dir));
  }

  async close(): Promise<void> {
    await this.wal.close();
  }

  private async removeOtherGenerations(names: string[]): Promise<void> {
    for (const name of names) {
      const generation = Number(SNAPSHOT.exec(name)?.[1] ?? WAL.exec(name)?.[1] ?? Number.NaN);
      const stale = (Number.isFinite(generation) && generation !== this.generation) || name.endsWith('.bin.tmp');
      if (stale) await rm(join(this.dir, name), { force: true });
    }
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
