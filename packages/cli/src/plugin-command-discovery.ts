import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { findConfigFile, loadConfig } from '@ferry/core';

export interface PluginAdditions {
  core: string[];
  path: string;
}

/**
 * Finds the npm packages among the app's plugins that ship oclif commands, so
 * `ferry` offers them. oclif loads them from the app folder's dependencies,
 * which is where a scaffolded app lists its plugins. Discovery never fails the
 * CLI: a broken config is reported by the command that runs, not here.
 */
export async function discoverPluginCommandPackages(configOption: string | undefined): Promise<PluginAdditions | undefined> {
  const file = findConfigFile(configOption ?? process.cwd());
  if (!file) return undefined;
  try {
    const { config, appDir } = await loadConfig(file);
    const manifestPath = join(appDir, 'package.json');
    if (!existsSync(manifestPath)) return undefined;
    const require = createRequire(manifestPath);
    const names = config.plugins
      .map((entry) => (typeof entry === 'object' && 'use' in entry ? entry.use : entry))
      .filter((use): use is string => typeof use === 'string' && !use.startsWith('.') && !use.startsWith('/'))
      .filter((name) => shipsCommands(require, name));
    return names.length > 0 ? { core: names, path: appDir } : undefined;
  } catch {
    return undefined;
  }
}

function shipsCommands(require: NodeRequire, name: string): boolean {
  const manifest = findManifest(require, name);
  if (!manifest) return false;
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { oclif?: { commands?: unknown } };
  return pkg.oclif?.commands !== undefined;
}

function findManifest(require: NodeRequire, name: string): string | undefined {
  for (const base of require.resolve.paths(name) ?? []) {
    const candidate = join(base, name, 'package.json');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

