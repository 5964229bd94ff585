import { appendFileSync, closeSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog, verifyAuditLog } from './audit-log.js';

async function logWith(n: number): Promise<{ path: string; head: string }> {
  const path = join(mkdtempSync(join(tmpdir(), 'ferry-audit-')), 'audit.jsonl');
  const log = new AuditLog(path);
  for (let i = 0; i < n; i++) await log.append('chat.completion', { keyId: 'app', n: i });
  const head = log.lastHash;
  await log.close();
  return { path, head };
}

const lines = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n');

describe('AuditLog', () => {
  it('chains entries and verifies an untouched log', async () => {
    const { path, head } = await logWith(5);
    expect(verifyAuditLog(path, { expectedLastHash: head })).toEqual({ ok: true, entries: 5, lastHash: head });
    const [first, second] = lines(path).map((l) => JSON.parse(l));
    expect(first.prev).toBe('0'.repeat(64));
    expect(second.prev).toBe(first.hash);
  });

  it('detects an edited entry', async () => {
    const { path } = await logWith(5);
    const all = lines(path);
    all[2] = all[2]!.replace('"n":2', '"n":99');
    writeFileSync(path, `${all.join('\n')}\n`);
    expect(verifyAuditLog(path)).toMatchObject({ ok: false, line: 3, reason: expect.stringContaining('edited') });
  });

  it('detects a removed entry, and removal at the end given the kept head', async () => {
    const { path, head } = await logWith(5);
    const all = lines(path);
    writeFileSync(path, `${[...all.slice(0, 1), ...all.slice(2)].join('\n')}\n`);
    expect(verifyAuditLog(path)).toMatchObject({ ok: false, line: 2 });
    const tail = await logWith(5);
    writeFileSync(tail.path, `${lines(tail.path).slice(0, 4).join('\n')}\n`);
    expect(verifyAuditLog(tail.path).ok).toBe(true);
    expect(verifyAuditLog(tail.path, { expectedLastHash: tail.head })).toMatchObject({ ok: false, reason: expect.stringContaining('removed from the end') });
    expect(head).not.toBe(tail.head);
  });

  it('continues the chain after reopening, and cuts a torn last line left by a crash', async () => {
    const { path } = await logWith(2);
    appendFileSync(path, '{"seq":3,"at":"2026-');
    const log = new AuditLog(path);
    await log.append('after.crash');
    await log.close();
    expect(verifyAuditLog(path)).toMatchObject({ ok: true, entries: 3 });
    expect(JSON.parse(lines(path)[2]!)).toMatchObject({ seq: 3, type: 'after.crash' });
  });

  it('commits concurrent appends together, chained in call order, and close waits for them', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ferry-audit-')), 'audit.jsonl');
    const log = new AuditLog(path);
    const appended = Array.from({ length: 200 }, (_, i) => log.append('chat.handoff', { n: i }));
    // Nothing is written on the caller's turn of the event loop: the disk work happens off it.
    expect(readFileSync(path, 'utf8')).toBe('');
    const closing = log.close();
    await expect(log.append('late')).rejects.toThrow('is closed');
    await closing;
    const entries = await Promise.all(appended);
    expect(entries.map((e) => e.data['n'])).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(verifyAuditLog(path, { expectedLastHash: entries.at(-1)!.hash })).toEqual({ ok: true, entries: 200, lastHash: entries.at(-1)!.hash });
  });

  it('rejects the appends of a failed write and goes on with an unbroken chain', async () => {
    const { path } = await logWith(3);
    const log = new AuditLog(path);
    // Pull the descriptor from under it, as a disk error would fail the write.
    closeSync((log as unknown as { fd: number }).fd);
    await expect(log.append('lost', { n: 1 })).rejects.toThrow(/could not write 1 entries .*not recorded/);
    const after = await log.append('after.failure');
    expect(after.seq).toBe(4);
    await log.close();
    expect(verifyAuditLog(path, { expectedLastHash: after.hash })).toMatchObject({ ok: true, entries: 4 });
  });
});
