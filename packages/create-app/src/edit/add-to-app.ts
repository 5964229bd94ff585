import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@ferry/core';
import { installDependencies } from '../install-dependencies.js';
import { addPluginToConfig } from './add-plugin.js';
import { CONFIG_FILE, openAppFile, openAppProject } from './app-source.js';

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
