import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitDocuments } from '../splitters/index.js';
import { makeDocx, makePdf } from './fixture-files.test-helper.js';
import { loadDirectory } from './load-directory.js';
import { listSourceFiles, scanSourceFiles } from './source-files.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ferry-dir-'));
  const files: Record<string, string | Buffer> = {
    'README.md': '# Knowledge base\n\nStart here.',
    'hr/leave.md': '# Leave\n\nStaff get 25 days of paid leave.',
    'hr/handbook.docx': makeDocx([{ text: 'Handbook', style: 'Heading1' }, { text: 'Be kind.' }]),
    'finance/q3.pdf': makePdf([['Revenue grew.'], ['Costs fell.']]),
    'finance/broken.pdf': '%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntruncated',
    'finance/rates.csv': 'city,limit\nParis,180\nBerlin,150\n',
    'web/page.HTML': '<title>Page</title><p>Hello web.</p>',
    'empty.txt': '',
    'notes.xyz': 'an unknown format',
    'node_modules/pkg/readme.md': '# dependency',
    '.git/notes.md': '# git internals',
    '.draft.md': '# hidden draft',
    'drafts/idea.md': '# idea',
  };
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(root, name, '..'), { recursive: true });
    await writeFile(join(root, name), content);
  }
  await symlink(join(root, 'gone.txt'), join(root, 'dangling.txt'));
  await symlink(join(root, 'hr'), join(root, 'hr-link'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('listSourceFiles', () => {
  it('lists supported files sorted by source, without dependencies or dot files', async () => {
    const files = await listSourceFiles(root);
    expect(files.map((f) => f.source)).toEqual([
      'README.md',
      'drafts/idea.md',
      'empty.txt',
      'finance/broken.pdf',
      'finance/q3.pdf',
      'finance/rates.csv',
      'hr/handbook.docx',
      'hr/leave.md',
      'web/page.HTML',
    ]);
    const leave = files.find((f) => f.source === 'hr/leave.md')!;
    expect(leave.path).toBe(join(root, 'hr/leave.md'));
    expect(leave.size).toBe(Buffer.byteLength('# Leave\n\nStaff get 25 days of paid leave.'));
    expect(leave.mtimeMs).toBeGreaterThan(0);
  });

  it('applies include and exclude globs', async () => {
    const md = await listSourceFiles(root, { include: ['**/*.md'], exclude: ['drafts/**'] });
    expect(md.map((f) => f.source)).toEqual(['README.md', 'hr/leave.md']);
    const scan = await scanSourceFiles(root, { include: ['**/*.txt'] });
    expect(scan.files.map((f) => f.source)).toEqual(['empty.txt']);
    expect(scan.unreadable).toEqual([{ source: 'dangling.txt', reason: expect.stringMatching(/ENOENT/) }]);
  });

  it('rejects a root that is not a folder', async () => {
    await expect(listSourceFiles(join(root, 'README.md'))).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(listSourceFiles(join(root, 'nowhere'))).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });
});

describe('loadDirectory', () => {
  it('loads the good files and skips each bad one with its reason', async () => {
    const progress: number[] = [];
    const { documents, skipped } = await loadDirectory(root, { include: ['**/*'], onProgress: (p) => progress.push(p.done) });
    expect(skipped.map((s) => [s.source, s.failure])).toEqual([
      ['dangling.txt', 'unreadable'],
      ['empty.txt', 'empty'],
      ['finance/broken.pdf', 'malformed'],
      ['notes.xyz', 'unsupported-type'],
    ]);
    const reason = (source: string): string => skipped.find((s) => s.source === source)!.reason;
    expect(reason('dangling.txt')).toMatch(/cannot read/);
    expect(reason('empty.txt')).toMatch(/no text/);
    expect(reason('finance/broken.pdf')).toMatch(/PDF/);
    expect(reason('notes.xyz')).toMatch(/cannot be loaded/);

    expect([...new Set(documents.map((d) => d.metadata.source))]).toEqual([
      'README.md',
      'drafts/idea.md',
      'finance/q3.pdf',
      'finance/rates.csv',
      'hr/handbook.docx',
      'hr/leave.md',
      'web/page.HTML',
    ]);
    expect(documents.filter((d) => d.metadata.source === 'finance/q3.pdf').map((d) => d.metadata.page)).toEqual([1, 2]);
    // Every file found is reported; the dangling link never reached the loaders.
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    const chunks = splitDocuments(documents);
    expect(chunks.filter((c) => c.metadata.source === 'finance/rates.csv').map((c) => c.id)).toEqual(['finance/rates.csv#0', 'finance/rates.csv#1']);
    expect(chunks.find((c) => c.metadata.source === 'hr/leave.md')!.metadata.headingPath).toEqual(['Leave']);
  });
});

describe('loadDirectory and links out of the root', () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'ferry-dir-links-'));
    await mkdir(join(base, 'docs'));
    await mkdir(join(base, 'private'));
    await writeFile(join(base, 'docs', 'leave.md'), '# Leave\n\nStaff get 25 days of paid leave.');
    await writeFile(join(base, 'private', 'salaries.md'), '# Salaries\n\nThe CEO earns a secret amount.');
    await symlink(join(base, 'private', 'salaries.md'), join(base, 'docs', 'salaries.md'));
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('skips a link to a file outside the root, as unreadable with the reason, unless followLinksOutsideRoot is set', async () => {
    const { documents, skipped } = await loadDirectory(join(base, 'docs'));
    expect(documents.map((d) => d.metadata.source)).toEqual(['leave.md']);
    expect(documents.some((d) => d.text.includes('secret amount'))).toBe(false);
    expect(skipped).toEqual([{ source: 'salaries.md', failure: 'unreadable', reason: expect.stringMatching(/outside the ingest root.*followLinksOutsideRoot: true/) }]);

    const followed = await loadDirectory(join(base, 'docs'), { followLinksOutsideRoot: true });
    expect(followed.documents.map((d) => d.metadata.source)).toEqual(['leave.md', 'salaries.md']);
    expect(followed.skipped).toEqual([]);
  });
});
