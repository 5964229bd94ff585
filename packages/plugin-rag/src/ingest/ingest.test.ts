import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HashingEmbedder, type PipelineEvent } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFile } from '../loaders/index.js';
import { KeywordIndex } from '../retrieval/keyword-index.js';
import { splitDocuments, type SplitOptions } from '../splitters/index.js';
import { openEmbeddedStore } from '../stores/embedded-store.js';
import { ingest, type IngestOptions } from './ingest.js';
import { loadManifest } from './manifest.js';
import { statePaths } from './state-paths.js';

const here = dirname(fileURLToPath(import.meta.url));
const embedder = new HashingEmbedder(64);
const SPLIT: SplitOptions = { chunkSize: 120, chunkOverlap: 20 };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-rag-ingest-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const paragraph = (topic: string, n: number): string =>
  Array.from({ length: n }, (_, i) => `Section ${i + 1} about ${topic}: the ${topic} policy says item ${i + 1} applies to everyone.`).join('\n\n');

/** The chunk ids the files under root should produce, computed independently of ingest. */
async function expectedIds(root: string, sources: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const source of sources) ids.push(...splitDocuments(await loadFile(join(root, source), { root }), SPLIT).map((c) => c.id));
  return ids.sort();
}

async function storeIds(storeDir: string): Promise<{ ids: string[]; count: number }> {
  const store = await openEmbeddedStore(storeDir);
  try {
    const collection = await store.collection('crash-kb', { dims: 64 });
    return { ids: (await collection.listIds()).sort(), count: await collection.count() };
  } finally {
    await store.close();
  }
}

describe('ingest', () => {
  it('adds, skips unchanged, updates, removes, and reports bad files', async () => {
    const root = join(dir, 'docs');
    await mkdir(join(root, 'guides'), { recursive: true });
    await writeFile(join(root, 'guides', 'remote.md'), `# Remote work\n\n${paragraph('remote work', 6)}\n`);
    await writeFile(join(root, 'expenses.txt'), paragraph('expenses', 4));
    await writeFile(join(root, 'old.txt'), paragraph('archive', 2));
    await writeFile(join(root, 'empty.txt'), '   \n');
    await writeFile(join(root, 'broken.pdf'), '%PDF-1.7 this is not really a pdf');
    await writeFile(join(root, 'bad.json'), '{"title": ');
    const store = await openEmbeddedStore(join(dir, 'store-a'));
    const events: PipelineEvent[] = [];
    const options: IngestOptions = { root, store, collection: 'crash-kb', embedder, split: SPLIT, batchSize: 5, onEvent: (e) => events.push(e) };
    try {
      const first = await ingest(options);
      expect(first.added.sort()).toEqual(['expenses.txt', 'guides/remote.md', 'old.txt']);
      expect(first.skipped.map((s) => s.source).sort()).toEqual(['bad.json', 'broken.pdf', 'empty.txt']);
      expect(first.skipped.every((s) => s.reason !== '' && s.message !== '')).toBe(true);
      const all = await expectedIds(root, ['expenses.txt', 'guides/remote.md', 'old.txt']);
      const collection = await store.collection('crash-kb', { dims: 64 });
      expect((await collection.listIds()).sort()).toEqual(all);
      expect(first.totalChunks).toBe(all.length);
      expect(events.some((e) => e.type === 'progress' && e.step === 'index' && e.total === 6)).toBe(true);

      const [record] = await collection.get(['guides/remote.md#1']);
      expect(record?.metadata).toMatchObject({ source: 'guides/remote.md', type: 'md', heading: 'Remote work', chunkIndex: 1 });

      const again = await ingest(options);
      expect(again).toMatchObject({ added: [], updated: [], removed: [], unchanged: 3, chunksUpserted: 0, chunksDeleted: 0 });

      await writeFile(join(root, 'guides', 'remote.md'), `# Remote work\n\n${paragraph('remote work', 2)}\n`);
      await unlink(join(root, 'old.txt'));
      await writeFile(join(root, 'travel.md'), paragraph('travel', 3));
      const third = await ingest(options);
      expect(third).toMatchObject({ added: ['travel.md'], updated: ['guides/remote.md'], removed: ['old.txt'], unchanged: 1 });
      const now = await expectedIds(root, ['expenses.txt', 'guides/remote.md', 'travel.md']);
      expect((await collection.listIds()).sort()).toEqual(now);

      const { manifestPath, keywordIndexPath } = statePaths(join(root, '.ferry-rag'), 'crash-kb');
      const manifest = await loadManifest(manifestPath, 'crash-kb');
      expect(Object.values(manifest.files).flatMap((f) => f.chunkIds).sort()).toEqual(now);
      expect((await KeywordIndex.load(keywordIndexPath))?.ids().sort()).toEqual(now);
    } finally {
      await store.close();
    }
  });

  it('skips a link out of the root as unreadable, and ingests it with followLinksOutsideRoot', async () => {
    const root = join(dir, 'linked-docs');
    await mkdir(root, { recursive: true });
    await mkdir(join(dir, 'elsewhere'), { recursive: true });
    await writeFile(join(root, 'leave.md'), paragraph('leave', 2));
    await writeFile(join(dir, 'elsewhere', 'payroll.md'), paragraph('payroll', 2));
    await symlink(join(dir, 'elsewhere', 'payroll.md'), join(root, 'payroll.md'));
    const store = await openEmbeddedStore(join(dir, 'store-links'));
    const options: IngestOptions = { root, store, collection: 'links-kb', embedder, split: SPLIT };
    try {
      const refused = await ingest(options);
      expect(refused.added).toEqual(['leave.md']);
      expect(refused.skipped).toEqual([{ source: 'payroll.md', reason: 'unreadable', message: expect.stringMatching(/outside the ingest root.*followLinksOutsideRoot: true/) }]);
      const collection = await store.collection('links-kb', { dims: 64 });
      expect((await collection.listIds()).some((id) => id.startsWith('payroll.md#'))).toBe(false);

      const followed = await ingest({ ...options, followLinksOutsideRoot: true });
      expect(followed).toMatchObject({ added: ['payroll.md'], unchanged: 1, skipped: [] });
      expect((await collection.listIds()).some((id) => id.startsWith('payroll.md#'))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('rejects bad options with the field named', async () => {
    const store = await openEmbeddedStore(join(dir, 'store-b'));
    try {
      await expect(ingest({ root: dir, store, collection: 'crash-kb', embedder, batchSize: 0 })).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'options.batchSize' });
      await expect(ingest({ root: join(dir, 'nope'), store, collection: 'crash-kb', embedder })).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'root' });
    } finally {
      await store.close();
    }
  });

  it('after a kill -9 mid-ingest, a re-run leaves every chunk exactly once and the store opens', async () => {
    const root = join(dir, 'many');
    await mkdir(root, { recursive: true });
    const sources: string[] = [];
    for (let i = 0; i < 200; i++) {
      const source = `note-${String(i).padStart(3, '0')}.md`;
      sources.push(source);
      await writeFile(join(root, source), `# Note ${i}\n\n${paragraph(`topic ${i}`, 1 + (i % 4))}\n`);
    }
    const storeDir = join(dir, 'store-crash');
    const stateDir = join(dir, 'state-crash');
    const child = spawn(process.execPath, [join(here, 'fixtures', 'ingest-child.mjs'), root, storeDir, stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const killedAt = await new Promise<number>((resolve, reject) => {
      let buffer = '';
      child.stdout.on('data', (d: Buffer) => {
        buffer += d.toString();
        const files = [...buffer.matchAll(/^file (\d+)$/gm)].map((m) => Number(m[1]));
        const last = files.at(-1) ?? 0;
        if (last >= 70) {
          child.kill('SIGKILL');
          resolve(last);
        }
      });
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`child ended before the kill (code ${code}): ${stderr}`));
      });
    });
    await new Promise((resolve) => child.once('close', resolve));
    expect(killedAt).toBeLessThan(200);

    const store = await openEmbeddedStore(storeDir);
    try {
      const rerun = await ingest({ root, store, collection: 'crash-kb', embedder, stateDir, batchSize: 4, split: SPLIT });
      expect(rerun.unchanged).toBeGreaterThan(0);
      expect(rerun.added.length).toBeGreaterThan(0);
      expect(rerun.unchanged + rerun.added.length + rerun.updated.length).toBe(200);
    } finally {
      await store.close();
    }
    const expected = await expectedIds(root, sources);
    const { ids, count } = await storeIds(storeDir);
    expect(ids).toEqual(expected);
    expect(count).toBe(expected.length);
    expect(new Set(ids).size).toBe(ids.length);
    const { keywordIndexPath } = statePaths(stateDir, 'crash-kb');
    expect((await KeywordIndex.load(keywordIndexPath))?.ids().sort()).toEqual(expected);
  }, 60_000);
});
