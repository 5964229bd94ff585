import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findWorkspaceRoot, linkWorkspaceDependencies } from './workspace-link.js';

describe('linkWorkspaceDependencies', () => {
  it('refuses a dependency name that leads out of node_modules, leaving what is there untouched', async () => {
    const root = findWorkspaceRoot();
    expect(root).toBeDefined();
    const base = await mkdtemp(join(tmpdir(), 'ferry-link-'));
    const app = join(base, 'app');
    // node_modules/a/../../../victim is base/victim: the link step would remove it and put a link there.
    await mkdir(join(base, 'victim'), { recursive: true });
    await writeFile(join(base, 'victim', 'package.json'), '{"name":"victim"}');
    await mkdir(app);
    const name = 'a/../../../victim';
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', dependencies: { zod: '*', [name]: '*' } }));
    await expect(linkWorkspaceDependencies(app, root!)).rejects.toMatchObject({ code: 'INPUT_INVALID', field: `dependencies.${name}`, message: expect.stringContaining('leads outside') });
    expect(await readFile(join(base, 'victim', 'package.json'), 'utf8')).toBe('{"name":"victim"}');
    expect(existsSync(join(app, 'node_modules', 'zod', 'package.json'))).toBe(true);
  });
});
