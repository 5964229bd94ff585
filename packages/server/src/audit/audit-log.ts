import { createHash } from 'node:crypto';
import { closeSync, existsSync, fdatasync as fdatasyncCallback, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, write as writeCallback } from 'node:fs';
import { promisify } from 'node:util';
import { dirname } from 'node:path';

/** Hash of the (absent) entry before the first one. */
export const AUDIT_GENESIS = '0'.repeat(64);

export interface AuditEntry {
  seq: number;
  at: string;
  /** What happened, e.g. `auth.denied`, `chat.completion`. */
  type: string;
  data: Record<string, unknown>;
  prev: string;
  hash: string;
}

/** sha256(prev hash + canonical JSON of the entry without its hash). */
export function auditEntryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const body = JSON.stringify({ seq: entry.seq, at: entry.at, type: entry.type, data: entry.data, prev: entry.prev });
  return createHash('sha256').update(entry.prev).update(body).digest('hex');
}

interface Pending {
  type: string;
  data: Record<string, unknown>;
  at: string;
  resolve(entry: AuditEntry): void;
  reject(error: Error): void;
}

/**
 * Append-only JSONL audit trail. Each line carries the hash of the previous
 * one, so removing or editing a line breaks the chain at that point.
 *
 * An append resolves once its line is written and fdatasync'd. The disk work
 * runs off the event loop and is group-committed: the appends that arrive
 * while one batch is being synced go out together in the next write and
 * sync, so a busy server pays one sync per batch, not per entry, and never
 * blocks on the disk. Entries are chained in the order `append` was called.
 * A torn last line (the process died mid-write, so no append covering it
 * resolved) is cut on open; after a failed write the log re-reads its tail the
 * same way, so the chain on disk stays whole.
 */
export class AuditLog {
  private fd: number;
  private seq: number;
  private head: string;
  private pending: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    const { fd, seq, head } = openAtValidTail(path);
    this.fd = fd;
    this.seq = seq;
    this.head = head;
  }

  /** Hash of the newest entry on disk: keep a copy elsewhere to detect removal of the newest entries too. */
  get lastHash(): string {
    return this.head;
  }

  append(type: string, data: Record<string, unknown> = {}): Promise<AuditEntry> {
    if (this.closed) return Promise.reject(new Error(`audit log ${this.path} is closed`));
    return new Promise((resolve, reject) => {
      this.pending.push({ type, data, at: new Date().toISOString(), resolve, reject });
      // Started after the caller's synchronous code, so the appends it makes in one go share a write.
      this.flushing ??= Promise.resolve().then(() => this.flush());
    });
  }

  /** Waits for every append made so far to reach the disk, then closes the file. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      let { seq, head } = this;
      const entries = batch.map(({ type, data, at }): AuditEntry => {
        const partial = { seq: ++seq, at, type, data, prev: head };
        const entry = { ...partial, hash: auditEntryHash(partial) };
        head = entry.hash;
        return entry;
      });
      try {
        await writeAll(this.fd, Buffer.from(entries.map((entry) => `${JSON.stringify(entry)}\n`).join('')));
        await fdatasync(this.fd);
        this.seq = seq;
        this.head = head;
        batch.forEach((p, i) => p.resolve(entries[i] as AuditEntry));
      } catch (cause) {
        const error = new Error(`audit log ${this.path}: could not write ${batch.length} entries (${(cause as Error).message}); they were not recorded`, { cause });
        this.reopen();
        for (const p of batch) p.reject(error);
      }
    }
    this.flushing = undefined;
  }

  /** Some of a failed batch may be on disk: continue the chain from whatever whole lines are there. */
  private reopen(): void {
    try {
      closeSync(this.fd);
    } catch {
      // Already closed or broken: a new descriptor replaces it.
    }
    const { fd, seq, head } = openAtValidTail(this.path);
    this.fd = fd;
    this.seq = seq;
    this.head = head;
  }
}

/** Opens the log for appending with any torn last line cut off; the newest whole entry continues the chain. */
function openAtValidTail(path: string): { fd: number; seq: number; head: string } {
  const { seq, head, validBytes, totalBytes } = existsSync(path) ? scanTail(path) : { seq: 0, head: AUDIT_GENESIS, validBytes: 0, totalBytes: 0 };
  const fd = openSync(path, 'a');
  if (validBytes < totalBytes) {
    ftruncateSync(fd, validBytes);
    fsyncSync(fd);
  }
  return { fd, seq, head };
}

const fdatasync = promisify(fdatasyncCallback);
const write = promisify(writeCallback);

async function writeAll(fd: number, bytes: Buffer): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) {
    const { bytesWritten } = await write(fd, bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

export type AuditVerification =
  | { ok: true; entries: number; lastHash: string }
  | { ok: false; entries: number; line: number; reason: string };

/**
 * Walks the chain. Detects an edited entry (its hash no longer matches), a
 * removed or reordered one (the next entry's `prev` or `seq` no longer
 * follows), and, given the head kept elsewhere, removal at the end.
 */
export function verifyAuditLog(path: string, options: { expectedLastHash?: string } = {}): AuditVerification {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  let prev = AUDIT_GENESIS;
  let seq = 0;
  for (let i = 0; i < lines.length; i++) {
    const fail = (reason: string): AuditVerification => ({ ok: false, entries: i, line: i + 1, reason });
    let entry: AuditEntry;
    try {
      entry = JSON.parse(lines[i] as string) as AuditEntry;
    } catch {
      return fail('not valid JSON');
    }
    if (entry.prev !== prev) return fail(`prev hash does not match line ${i}: an entry before it was removed, edited or reordered`);
    if (entry.seq !== seq + 1) return fail(`seq ${entry.seq} does not follow ${seq}: an entry was removed or reordered`);
    if (auditEntryHash(entry) !== entry.hash) return fail('hash does not match the content: the entry was edited');
    prev = entry.hash;
    seq = entry.seq;
  }
  if (options.expectedLastHash !== undefined && options.expectedLastHash !== prev) {
    return { ok: false, entries: lines.length, line: lines.length, reason: 'the last entry is not the expected head: entries were removed from the end' };
  }
  return { ok: true, entries: lines.length, lastHash: prev };
}

function scanTail(path: string): { seq: number; head: string; validBytes: number; totalBytes: number } {
  const text = readFileSync(path, 'utf8');
  const totalBytes = Buffer.byteLength(text);
  const end = text.lastIndexOf('\n') + 1;
  const complete = text.slice(0, end);
  const lastLine = complete.slice(0, -1).split('\n').at(-1);
  if (!lastLine) return { seq: 0, head: AUDIT_GENESIS, validBytes: end, totalBytes };
  const last = JSON.parse(lastLine) as AuditEntry;
  return { seq: last.seq, head: last.hash, validBytes: Buffer.byteLength(complete), totalBytes };
}
