import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createApp } from '../create-app.js';
import { addPlugin } from './add-to-app.js';

const run = promisify(execFile);
const templatesDir = fileURLToPath(new URL('../__fixtures__/templates', import.meta.url));

describe('addPlugin on a generated app', () => {
  it('changes only the intended lines, installs the plugin, type-checks, and a second run is a no-op', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'ferry-add-')), 'app');
    await createApp({ dir, name: 'app', template: 'hello' }, { templatesDir });
    const configBefore = await readFile(join(dir, 'src/ferry.config.ts'), 'utf8');
    const packageBefore = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));

    expect(await addPlugin(dir, '@ferry/plugin-prompt')).toEqual({ changed: ['src/ferry.config.ts', 'package.json'] });
    const configAfter = await readFile(join(dir, 'src/ferry.config.ts'), 'utf8');
    expect(configAfter).toBe(configBefore.replace('plugins: [],', "plugins: ['@ferry/plugin-prompt'],"));
    const packageAfter = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(packageAfter).toEqual({ ...packageBefore, dependencies: { ...packageBefore.dependencies, '@ferry/plugin-prompt': '^0.1.0' } });
    expect(existsSync(join(dir, 'node_modules/@ferry/plugin-prompt/package.json'))).toBe(true);
    await run(join(dir, 'node_modules/.bin/tsc'), ['--noEmit', '-p', dir], { cwd: dir });

    expect(await addPlugin(dir, '@ferry/plugin-prompt')).toEqual({ changed: [] });
    expect(await readFile(join(dir, 'src/ferry.config.ts'), 'utf8')).toBe(configAfter);
  }, 60_000);
});
