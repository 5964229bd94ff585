import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand, type RunnableCommand } from '@ferry/core/testing';
import { Config } from '@oclif/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../commands.js';
import { RagEvalCommand } from './rag-eval-command.js';
import { RagIngestCommand } from './rag-ingest-command.js';
import { RagQueryCommand } from './rag-query-command.js';

// Config.load reads package.json's oclif section, which points at the built dist/commands.js (tsc -b first).
const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let config: Config;
let dir: string;
let store: string[];

beforeAll(async () => {
  config = await Config.load(PACKAGE_ROOT);
  dir = await mkdtemp(join(tmpdir(), 'ferry-rag-cmd-'));
  store = ['--dir', join(dir, 'vectors'), '--state-dir', join(dir, 'state'), '--collection', 'cmd-kb'];
  await mkdir(join(dir, 'docs'), { recursive: true });
  await writeFile(join(dir, 'docs', 'it.md'), '# Passwords\n\nTo reset your password, open the account page and choose "Forgot password".\n');
  await writeFile(join(dir, 'docs', 'travel.txt'), 'Travel expenses are reimbursed within 14 days when submitted with receipts.\n');
  await writeFile(join(dir, 'docs', 'empty.txt'), '');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = async (command: RunnableCommand<Config>, argv: string[]) => (await runCommand(command, argv, config)).stdout;

describe('ferry rag', () => {
  it('registers ingest, query, eval and chroma start with oclif', () => {
    expect(Object.keys(COMMANDS)).toEqual(['rag:ingest', 'rag:query', 'rag:eval', 'rag:chroma:start']);
    for (const id of Object.keys(COMMANDS)) expect(config.findCommand(id)).toBeDefined();
  });

  it('ingest reports what it did, including skipped files', async () => {
    const out = await run(RagIngestCommand, [join(dir, 'docs'), ...store]);
    expect(out).toContain('added 2, updated 0, removed 0, unchanged 0');
    expect(out).toMatch(/skipped empty\.txt \(empty\)/);
    const again = JSON.parse(await run(RagIngestCommand, [join(dir, 'docs'), ...store, '--json'])) as { unchanged: number };
    expect(again.unchanged).toBe(2);
  });

  it('ingest follows a link out of the folder only with --follow-links-outside-root', async () => {
    const docs = join(dir, 'linked-docs');
    const linkedStore = ['--dir', join(dir, 'linked-vectors'), '--state-dir', join(dir, 'linked-state'), '--collection', 'linked-kb'];
    await mkdir(docs, { recursive: true });
    await writeFile(join(docs, 'leave.md'), '# Leave\n\nStaff get 25 days of paid leave.\n');
    await symlink(join(dir, 'docs', 'travel.txt'), join(docs, 'travel.txt'));
    const out = await run(RagIngestCommand, [docs, ...linkedStore]);
    expect(out).toContain('added 1, updated 0, removed 0, unchanged 0');
    expect(out).toMatch(/skipped travel\.txt \(unreadable\): not followed: the link leads outside the ingest root/);
    const followed = await run(RagIngestCommand, [docs, ...linkedStore, '--follow-links-outside-root']);
    expect(followed).toContain('added 1, updated 0, removed 0, unchanged 1');
  });

  it('query streams a cited answer and lists its sources', async () => {
    const out = await run(RagQueryCommand, ['How do I reset my password?', ...store]);
    expect(out).toMatch(/Forgot password.*\[\d\]/);
    expect(out).toMatch(/Sources:\n\[\d\] it\.md, Passwords/);
    const json = JSON.parse(await run(RagQueryCommand, ['Who discovered penicillin?', ...store, '--json'])) as { answered: boolean };
    expect(json.answered).toBe(false);
    const chunks = await run(RagQueryCommand, ['travel receipts', ...store, '--retrieve-only', '--filter', '{"type":"txt"}']);
    expect(chunks).toMatch(/^1\. travel\.txt#0 .*bm25 #1/m);
    await expect(run(RagQueryCommand, ['x', ...store, '--filter', '{bad'])).rejects.toThrow(/--filter is not valid JSON/);
  });

  it('eval prints hit@k, MRR and the answer metrics', async () => {
    const qa = join(dir, 'qa.jsonl');
    await writeFile(
      qa,
      [
        { question: 'How do I reset my password?', relevant: ['it.md'], answers: ['Forgot password'] },
        { question: 'When are travel expenses reimbursed?', relevant: ['travel.txt#0'], answers: ['14 days'] },
        { question: 'Who discovered penicillin?', unanswerable: true },
      ]
        .map((q) => JSON.stringify(q))
        .join('\n'),
    );
    const out = await run(RagEvalCommand, [qa, ...store, '--ks', '1,5']);
    expect(out).toContain('hit@1   100.0%');
    expect(out).toContain('MRR     1.000');
    expect(out).toContain('"don\'t know" precision 100.0%');
  });
});
