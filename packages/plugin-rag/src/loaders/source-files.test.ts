import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanSourceFiles } from './source-files.js';

// One temp folder holds the ingest root and, beside it, a folder the root's links point out to.
let base: string;
let root: string;
let outside: string;

beforeAll(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'ferry-links-')));
  root = join(base, 'root');
  outside = join(base, 'outside');
  await mkdir(join(root, 'sub'), { recursive: true });
  await mkdir(join(outside, 'folder'), { recursive: true });
  await writeFile(join(root, 'inside.md'), '# Inside');
  await writeFile(join(root, 'sub', 'deep.md'), '# Deep');
  await writeFile(join(root, '..draft.md'), '# A file whose name starts with two dots');
  await writeFile(join(outside, 'secret.md'), '# Secret');
  await writeFile(join(outside, 'notes.xyz'), 'not a supported type');
  await writeFile(join(outside, 'folder', 'notes.md'), '# Notes from elsewhere');

  // Links that stay inside the root.
  await symlink(join(root, 'sub', 'deep.md'), join(root, 'link-in.md'));
  await symlink('..draft.md', join(root, 'dots.md'));
  // Links that lead out: absolute, relative through "..", a folder, a link to such a link, an excluded type.
  await symlink(join(outside, 'secret.md'), join(root, 'out-file.md'));
  await symlink('../outside/secret.md', join(root, 'dotdot.md'));
  await symlink(join(outside, 'folder'), join(root, 'out-dir'));
  await symlink(join(root, 'out-file.md'), join(root, 'chain.md'));
  await symlink(join(outside, 'notes.xyz'), join(root, 'out.xyz'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('scanSourceFiles and links', () => {
  it('follows links inside the root, and refuses by default those that lead outside it, saying how to allow them', async () => {
    const scan = await scanSourceFiles(root);
    expect(scan.files.map((f) => f.source)).toEqual(['dots.md', 'inside.md', 'link-in.md', 'sub/deep.md']);
    expect(scan.unreadable.map((u) => u.source)).toEqual(['chain.md', 'dotdot.md', 'out-dir', 'out-file.md']);
    for (const { reason } of scan.unreadable) {
      expect(reason).toMatch(/the link leads outside the ingest root/);
      expect(reason).toMatch(/followLinksOutsideRoot: true/);
    }
    expect(scan.unreadable.find((u) => u.source === 'out-dir')?.reason).toContain(join(outside, 'folder'));
  });

  it('follows links out of the root with followLinksOutsideRoot: true', async () => {
    const scan = await scanSourceFiles(root, { followLinksOutsideRoot: true });
    expect(scan.files.map((f) => f.source)).toEqual(['chain.md', 'dotdot.md', 'dots.md', 'inside.md', 'link-in.md', 'out-dir/notes.md', 'out-file.md', 'sub/deep.md']);
    expect(scan.files.find((f) => f.source === 'out-dir/notes.md')?.path).toBe(join(root, 'out-dir', 'notes.md'));
    expect(scan.unreadable).toEqual([]);
  });

  it('judges links by the real root when the root is given through a link', async () => {
    const viaLink = join(base, 'root-link');
    await symlink(root, viaLink);
    const scan = await scanSourceFiles(viaLink);
    expect(scan.files.map((f) => f.source)).toEqual(['dots.md', 'inside.md', 'link-in.md', 'sub/deep.md']);
    expect(scan.unreadable.map((u) => u.source)).toEqual(['chain.md', 'dotdot.md', 'out-dir', 'out-file.md']);
  });

  it('rejects a followLinksOutsideRoot that is not a boolean, naming the field', async () => {
    await expect(scanSourceFiles(root, { followLinksOutsideRoot: 'yes' as unknown as boolean })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      field: 'followLinksOutsideRoot',
    });
  });
});
