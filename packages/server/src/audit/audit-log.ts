import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync, existsSync } from 'node:fs';
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

/**
 * Append-only JSONL audit trail. Each line carries the hash of the previous
 * one, so removing or editing a line breaks the chain at that point. Each
 * append is written and fsync'd before it returns. A torn last line (the
 * process died mid-write, so the append never returned) is cut on open.
 */
export class AuditLog {
  private fd: number;
  private seq: number;
  private head: string;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    const { seq, head, validBytes, totalBytes } = existsSync(path) ? scanTail(path) : { seq: 0, head: AUDIT_GENESIS, validBytes: 0, totalBytes: 0 };
    this.fd = openSync(path, 'a');
    if (validBytes < totalBytes) {
      ftruncateSync(this.fd, validBytes);
      fsyncSync(this.fd);
    }
    this.seq = seq;
    this.head = head;
  }

  /** Hash of the newest entry: keep a copy elsewhere to detect removal of the newest entries too. */
  get lastHash(): string {
    return this.head;
  }

  append(type: string, data: Record<string, unknown> = {}): AuditEntry {
    if (this.fd < 0) throw new Error(`audit log ${this.path} is closed`);
    const partial = { seq: this.seq + 1, at: new Date().toISOString(), type, data, prev: this.head };
    const entry: AuditEntry = { ...partial, hash: auditEntryHash(partial) };
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    fsyncSync(this.fd);
    this.seq = entry.seq;
    this.head = entry.hash;
    return entry;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
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
