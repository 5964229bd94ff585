import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ferryErrorOf as failure } from '@ferry/core/testing';
import { describe, expect, it } from 'vitest';
import { createApp } from './create-app.js';
import { listTemplates } from './template-catalog.js';

const run = promisify(execFile);
const templatesDir = fileURLToPath(new URL('./__fixtures__/templates', import.meta.url));

describe('createApp', () => {
  it('renders the layers, later layers winning, with the choices and variables filled in', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'ferry-create-')), 'my-app');
    const app = await createApp(
      { dir, name: 'my-app', template: 'hello', sessionStore: 'redis', variables: { greeting: 'hi' }, plugins: ['@ferry/plugin-prompt'], install: false },
      { templatesDir },
    );
    expect(app.files).toEqual(['.gitignore', 'package.json', 'README.md', 'src/app.test.ts', 'src/app.ts', 'src/ferry.config.ts', 'src/greet.test.ts', 'src/greet.ts', 'src/pipelines.ts', 'src/routes/greet-route.ts', 'src/steps/text-steps.ts', 'tsconfig.json']);
    expect(await readFile(join(dir, 'src/ferry.config.ts'), 'utf8')).toContain("plugins: ['@ferry/plugin-prompt'],");
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('# my-app\n\nProvider: offline; vector store: embedded; sessions in Redis.\n');
    expect(await readFile(join(dir, 'src/greet.ts'), 'utf8')).toContain("export const GREETING = 'hi';");
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(manifest.dependencies).toEqual({ '@ferry/core': '^0.1.0', '@ferry/plugin-prompt': '^0.1.0', '@ferry/server': '^0.1.0', zod: '4.6.7' });
    expect(app.install).toBe('skipped');
    expect(app.nextSteps).toContain('npm install');
  });

  it('refuses a non-empty folder unless forced, and then keeps unrelated files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-create-'));
    await writeFile(join(dir, 'notes.txt'), 'mine');
    const error = await failure(createApp({ dir, name: 'x', template: 'hello', install: false }, { templatesDir }));
    expect(error.field).toBe('dir');
    expect(error.hint).toContain('--force');
    expect(existsSync(join(dir, 'package.json'))).toBe(false);
    await createApp({ dir, name: 'x', template: 'hello', install: false, force: true }, { templatesDir });
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(dir, 'package.json'))).toBe(true);
  });

  it('accepts a folder that only holds a fresh git repository', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-create-'));
    await mkdir(join(dir, '.git'));
    await expect(createApp({ dir, name: 'x', template: 'hello', install: false }, { templatesDir })).resolves.toBeDefined();
  });

  it('names the bad option: package name, template, variable and its value', async () => {
    const dir = join(tmpdir(), 'never-created');
    expect((await failure(createApp({ dir, name: 'My App', template: 'hello', install: false }, { templatesDir }))).field).toBe('name');
    const unknown = await failure(createApp({ dir, name: 'a', template: 'nope', install: false }, { templatesDir }));
    expect(unknown.hint).toContain('hello');
    expect((await failure(createApp({ dir, name: 'a', template: 'hello', variables: { colour: 'red' }, install: false }, { templatesDir }))).field).toBe(
      'variables.colour',
    );
    const bad = await failure(createApp({ dir, name: 'a', template: 'hello', variables: { greeting: 'yo' }, install: false }, { templatesDir }));
    expect(bad.hint).toBe('Use one of: hello, hi.');
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a template name that is a path, writing nothing', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'ferry-create-')), 'app');
    for (const template of ['../knowledge-base', '/etc', '..\\x']) {
      expect(await failure(createApp({ dir, name: 'app', template, install: false }))).toMatchObject({ code: 'INPUT_INVALID', field: 'template' });
    }
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a template file whose name would land outside the app folder, before writing any file', async () => {
    const base = await mkdtemp(join(tmpdir(), 'ferry-create-'));
    const templates = join(base, 'templates');
    await mkdir(join(templates, 'evil', 'files', 'dot-.'), { recursive: true });
    await writeFile(join(templates, 'evil', 'template.json'), JSON.stringify({ name: 'evil', description: 'writes above the app', layers: ['files'] }));
    await writeFile(join(templates, 'evil', 'files', 'README.md'), '# app\n');
    // "dot-x" is how templates store ".x"; a folder named "dot-." would become "..".
    await writeFile(join(templates, 'evil', 'files', 'dot-.', 'escaped.txt'), 'outside');
    const dir = join(base, 'app');
    const error = await failure(createApp({ dir, name: 'app', template: 'evil', install: false }, { templatesDir: templates }));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field: 'files/dot-./escaped.txt' });
    expect(error.message).toContain('outside the app folder');
    expect(existsSync(join(base, 'escaped.txt'))).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a plugin name that is neither a package name nor a local path', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'ferry-create-')), 'app');
    for (const plugin of ['a/../../../evil', '@ferry/../../evil', 'C:\\evil']) {
      const error = await failure(createApp({ dir, name: 'app', template: 'hello', plugins: [plugin], install: false }, { templatesDir }));
      expect(error, plugin).toMatchObject({ code: 'INPUT_INVALID', field: 'plugins[0]' });
    }
    expect(existsSync(dir)).toBe(false);
    const local = await createApp({ dir, name: 'app', template: 'hello', plugins: ['./plugins/local.js'], install: false }, { templatesDir });
    expect(local.files).toContain('src/ferry.config.ts');
  });

  it('reports a broken manifest with the field', async () => {
    const error = await failure(listTemplates(fileURLToPath(new URL('./__fixtures__/broken-templates', import.meta.url))));
    expect(error.message).toContain('broken');
    expect(error.field).toBe('layers');
  });

  it('links the workspace, and the generated app type-checks and passes its own tests', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'ferry-create-')), 'linked-app');
    const app = await createApp({ dir, name: 'linked-app', template: 'hello' }, { templatesDir });
    expect(app.install).toBe('linked');
    await run(join(dir, 'node_modules/.bin/tsc'), ['--noEmit', '-p', dir], { cwd: dir });
    const { stdout } = await run(join(dir, 'node_modules/.bin/vitest'), ['run'], { cwd: dir });
    expect(stdout).toMatch(/2 passed/);
  }, 120_000);
});
