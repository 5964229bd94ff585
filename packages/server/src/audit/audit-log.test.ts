import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog, verifyAuditLog } from './audit-log.js';

function logWith(n: number): { path: string; head: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'ferry-audit-')), 'audit.jsonl');
  const log = new AuditLog(path);
  for (let i = 0; i < n; i++) log.append('chat.completion', { keyId: 'app', n: i });
  const head = log.lastHash;
  log.close();
  return { path, head };
}

const lines = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n');

describe('AuditLog', () => {
  it('chains entries and verifies an untouched log', () => {
    const { path, head } = logWith(5);
    expect(verifyAuditLog(path, { expectedLastHash: head })).toEqual({ ok: true, entries: 5, lastHash: head });
    const [first, second] = lines(path).map((l) => JSON.parse(l));
    expect(first.prev).toBe('0'.repeat(64));
    expect(second.prev).toBe(first.hash);
  });

  it('detects an edited entry', () => {
    const { path } = logWith(5);
    const all = lines(path);
    all[2] = all[2]!.replace('"n":2', '"n":99');
    writeFileSync(path, `${all.join('\n')}\n`);
    expect(verifyAuditLog(path)).toMatchObject({ ok: false, line: 3, reason: expect.stringContaining('edited') });
  });

  it('detects a removed entry, and removal at the end given the kept head', () => {
    const { path, head } = logWith(5);
    const all = lines(path);
    writeFileSync(path, `${[...all.slice(0, 1), ...all.slice(2)].join('\n')}\n`);
    expect(verifyAuditLog(path)).toMatchObject({ ok: false, line: 2 });
    const tail = logWith(5);
    writeFileSync(tail.path, `${lines(tail.path).slice(0, 4).join('\n')}\n`);
    expect(verifyAuditLog(tail.path).ok).toBe(true);
    expect(verifyAuditLog(tail.path, { expectedLastHash: tail.head })).toMatchObject({ ok: false, reason: expect.stringContaining('removed from the end') });
    expect(head).not.toBe(tail.head);
  });

  it('continues the chain after reopening, and cuts a torn last line left by a crash', () => {
    const { path } = logWith(2);
    appendFileSync(path, '{"seq":3,"at":"2026-');
    const log = new AuditLog(path);
    log.append('after.crash');
    log.close();
    expect(verifyAuditLog(path)).toMatchObject({ ok: true, entries: 3 });
    expect(JSON.parse(lines(path)[2]!)).toMatchObject({ seq: 3, type: 'after.crash' });
  });
});
