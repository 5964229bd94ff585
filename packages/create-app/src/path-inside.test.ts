import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathInside } from './path-inside.js';

describe('pathInside', () => {
  it('resolves paths below the folder, including names that start with two dots', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-inside-'));
    expect(pathInside(dir, 'src/app.ts', 'file', 'hint')).toBe(join(dir, 'src', 'app.ts'));
    expect(pathInside(dir, 'src/../README.md', 'file', 'hint')).toBe(join(dir, 'README.md'));
    expect(pathInside(dir, '..notes.md', 'file', 'hint')).toBe(join(dir, '..notes.md'));
  });

  it('refuses the folder itself, ".." steps out of it and absolute paths, naming the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-inside-'));
    for (const path of ['', '.', '..', '../x', 'src/../../x', '/etc/passwd', join(dir, '..', 'sibling')]) {
      expect(() => pathInside(dir, path, 'template file', 'Fix it.'), path).toThrow(expect.objectContaining({ code: 'INPUT_INVALID', field: 'template file', hint: 'Fix it.' }));
    }
  });
});
