import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fromZodError, writeFileAtomic } from '@ferry/core';
import type { SourceFile } from 'ts-morph';
import { pluginNameSchema } from '../app-options.js';
import { installDependencies } from '../install-dependencies.js';
import { pathInside } from '../path-inside.js';
import { appSourceFiles } from '../scan/app-source-files.js';
import { addPluginToConfig } from './add-plugin.js';
import { addRouteToApp } from './add-route.js';
import { addStepToPipeline, findPipeline, stepFileSource } from './add-step.js';
import { APP_FORMAT, CONFIG_FILE, openAppFile, openAppProject } from './app-source.js';
import { camel, itemName, stepReference } from './item-name.js';
import { routeFileSource } from './route-file.js';

export interface AddResult {
  /** Files whose content changed, relative to the app. */
  changed: string[];
}

const FERRY_RANGE = `^${(JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version}`;

/**
 * `ferry add plugin`: lists the plugin in the config and as a dependency, and
 * installs it (linked inside the Ferry workspace). Running it twice is a no-op.
 */
export async function addPlugin(appDir: string, plugin: string, options: { install?: boolean; version?: string } = {}): Promise<AddResult> {
  const parsed = pluginNameSchema.safeParse(plugin);
  if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what: `plugin "${plugin}"`, fieldPrefix: 'plugin' });
  const changed: string[] = [];
  const project = openAppProject();
  const config = openAppFile(project, appDir, CONFIG_FILE);
  if (addPluginToConfig(config, plugin)) {
    await writeFileAtomic(config.getFilePath(), config.getFullText());
    changed.push(CONFIG_FILE);
  }
  const isPackage = !plugin.startsWith('.') && !plugin.startsWith('/');
  if (isPackage && (await addDependency(appDir, plugin, options.version ?? (plugin.startsWith('@ferry/') ? FERRY_RANGE : 'latest')))) {
    changed.push('package.json');
    if (options.install ?? true) await installDependencies(appDir, true);
  }
  return { changed };
}

async function addDependency(appDir: string, name: string, range: string): Promise<boolean> {
  const path = join(appDir, 'package.json');
  const manifest = JSON.parse(await readFile(path, 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  if (manifest.dependencies?.[name] !== undefined || manifest.devDependencies?.[name] !== undefined) return false;
  manifest.dependencies = Object.fromEntries(Object.entries({ ...manifest.dependencies, [name]: range }).sort(([a], [b]) => a.localeCompare(b)));
  await writeFileAtomic(path, `${JSON.stringify(manifest, null, 2)}\n`);
  return true;
}

/**
 * `ferry add route NAME`: writes src/routes/NAME-route.ts (unless it exists)
 * and registers it where the app's src/ registers routes on its server.
 */
export async function addRoute(appDir: string, name: string): Promise<AddResult> {
  const base = itemName(name, 'route');
  const exported = `${camel(base)}Route`;
  const module = join(resolve(appDir), 'src', 'routes', `${base}-route.js`);
  // The registration is edited in memory first, so an app whose registration point is not found refuses before any file is written.
  const edited = addRouteToApp(appSourceFiles(appDir), { name: exported, module });
  const changed: string[] = [];
  const routeFile = `src/routes/${base}-route.ts`;
  if (await writeIfMissing(appDir, routeFile, routeFileSource(exported, base))) changed.push(routeFile);
  if (edited) {
    await save(edited);
    changed.push(relativeToApp(appDir, edited));
  }
  return { changed };
}

/**
 * `ferry add step NAME --pipeline P [--after S]`: writes src/steps/NAME-step.ts
 * and inserts it into P, the pipeline's name as `ferry graph` shows it or the
 * variable holding it.
 */
export async function addStep(appDir: string, name: string, options: { pipeline: string; after?: string }): Promise<AddResult> {
  const base = itemName(name, 'step');
  const after = options.after === undefined ? undefined : stepReference(options.after);
  const factory = `${camel(base)}Step`;
  const target = findPipeline(appSourceFiles(appDir), options.pipeline);
  target.call.getProject().manipulationSettings.set(APP_FORMAT);
  const changed: string[] = [];
  const stepFile = `src/steps/${base}-step.ts`;
  const module = join(resolve(appDir), 'src', 'steps', `${base}-step.js`);
  // The pipeline is edited in memory first, so an --after that names no step refuses before any file is written.
  const edited = addStepToPipeline(target, { factory, module, ...(after === undefined ? {} : { after }) });
  if (await writeIfMissing(appDir, stepFile, stepFileSource(factory, base))) changed.push(stepFile);
  if (edited) {
    await save(edited);
    changed.push(relativeToApp(appDir, edited));
  }
  return { changed };
}

function relativeToApp(appDir: string, file: SourceFile): string {
  return relative(appDir, file.getFilePath()).split(sep).join('/');
}

async function save(file: SourceFile): Promise<void> {
  await writeFileAtomic(file.getFilePath(), file.getFullText());
}

async function writeIfMissing(appDir: string, path: string, content: string): Promise<boolean> {
  const target = pathInside(appDir, path, 'name', 'Give a name, not a path: the file goes to src/routes or src/steps of the app.');
  if (existsSync(target)) return false;
  await mkdir(dirname(target), { recursive: true });
  await writeFileAtomic(target, content);
  return true;
}
