import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fromZodError, writeFileAtomic } from '@ferry/core';
import { appOptionsSchema, type AppOptions } from './app-options.js';
import { installDependencies, runCommand, type InstallMode } from './install-dependencies.js';
import { pathInside } from './path-inside.js';
import { renderTemplate, type RenderedFile } from './render-template.js';
import { checkTargetFolder } from './target-folder.js';
import { findTemplate } from './template-catalog.js';
import { buildTemplateContext } from './template-context.js';

export interface CreatedApp {
  dir: string;
  template: string;
  files: string[];
  install: InstallMode;
  nextSteps: string[];
}

export interface CreateAppHooks {
  templatesDir?: string;
  /** One line per stage, for the CLI. */
  onStep?: (message: string) => void;
}

const FERRY_VERSION = `^${(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version}`;

export async function createApp(input: AppOptions, hooks: CreateAppHooks = {}): Promise<CreatedApp> {
  const parsed = appOptionsSchema.safeParse(input);
  if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what: 'create-ferry-app options' });
  const options = parsed.data;
  const step = hooks.onStep ?? (() => undefined);
  const dir = resolve(options.dir);
  const { dir: templateDir, manifest } = await findTemplate(options.template, hooks.templatesDir);
  await checkTargetFolder(dir, options.force);
  const context = buildTemplateContext(options, manifest, FERRY_VERSION);
  const files = withPluginDependencies(await renderTemplate(templateDir, manifest, context), context.plugins);
  // Every target is checked before the first write, so a bad template leaves the folder untouched.
  const targets = files.map((file) => ({
    target: pathInside(dir, file.path, `${manifest.name}/${file.path}`, `Fix template "${manifest.name}": its files must stay inside the app folder.`),
    content: file.content,
  }));
  step(`writing ${files.length} files into ${dir}`);
  for (const { target, content } of targets) {
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomic(target, content);
  }
  step(options.install ? 'installing dependencies' : 'skipping install (--no-install)');
  const install = await installDependencies(dir, options.install);
  if (install !== 'skipped') {
    for (const post of manifest.postGenerate) {
      step(post.name);
      await runCommand(post.run, dir, post.name);
    }
  }
  return { dir, template: manifest.name, files: files.map((f) => f.path), install, nextSteps: nextSteps(dir, install) };
}

/** Plugins are npm packages: the app depends on each one it loads by name. */
function withPluginDependencies(files: RenderedFile[], plugins: string[]): RenderedFile[] {
  return files.map((file) => {
    if (file.path !== 'package.json') return file;
    const manifest = JSON.parse(file.content.toString('utf8')) as { dependencies?: Record<string, string> };
    const dependencies = { ...manifest.dependencies };
    for (const plugin of plugins.filter((p) => !p.startsWith('.') && !p.startsWith('/'))) dependencies[plugin] ??= FERRY_VERSION;
    manifest.dependencies = Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)));
    return { path: file.path, content: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) };
  });
}

function nextSteps(dir: string, install: InstallMode): string[] {
  return [`cd ${dir}`, ...(install === 'skipped' ? ['npm install'] : []), 'npm test', 'npm start'];
}
