import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJiti } from 'jiti';
import { resolvePackageEntry } from './resolve-package-entry.js';
import { FerryError, fromZodError } from '../errors/ferry-error.js';
import type { PluginEntryInput } from '../config/config-schema.js';
import { pluginDefinitionSchema, type FerryPlugin } from './define-plugin.js';
import type { PluginEntry } from './plugin-order.js';

export interface LoadedPluginEntry extends PluginEntry {
  /** Root folder of the plugin's npm package, when it came from one (for its CLI commands). */
  packageRoot?: string;
}

/** Turns the config's `plugins` list into validated plugin objects, skipping disabled ones. */
export async function loadPluginEntries(entries: PluginEntryInput[], appDir: string): Promise<LoadedPluginEntry[]> {
  const loaded: LoadedPluginEntry[] = [];
  for (const [index, entry] of entries.entries()) {
    const normalised = typeof entry === 'object' && 'use' in entry ? entry : { use: entry, config: undefined, enabled: true };
    if (normalised.enabled === false) continue;
    const { use } = normalised;
    const field = `plugins[${index}]`;
    const fromModule = typeof use === 'string' ? await importPlugin(use, appDir, field) : undefined;
    const candidate = fromModule?.plugin ?? use;
    const source = typeof use === 'string' ? use : `inline plugin at ${field}`;
    loaded.push({
      plugin: validatePlugin(candidate, source, field),
      source,
      index,
      config: normalised.config,
      ...(fromModule?.packageRoot === undefined ? {} : { packageRoot: fromModule.packageRoot }),
    });
  }
  return loaded;
}

export function validatePlugin(candidate: unknown, source: string, field: string): FerryPlugin<unknown, unknown> {
  const result = pluginDefinitionSchema.safeParse(candidate);
  if (!result.success) {
    const name = typeof candidate === 'object' && candidate && 'name' in candidate ? String(candidate.name) : source;
    throw fromZodError('PLUGIN_INVALID', result.error, {
      what: `plugin from ${source}`,
      plugin: name,
      fieldPrefix: field,
    });
  }
  return candidate as FerryPlugin<unknown, unknown>;
}

async function importPlugin(specifier: string, appDir: string, field: string): Promise<{ plugin: unknown; packageRoot?: string }> {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier);
  const jiti = createJiti(join(appDir, 'ferry.config.ts'));
  let resolved: string;
  try {
    resolved = isPath ? resolve(appDir, specifier) : (resolvePackageEntry(specifier, appDir) ?? toPath(jiti.esmResolve(specifier, { try: false })));
  } catch (error) {
    throw new FerryError('PLUGIN_LOAD_FAILED', `cannot find plugin module "${specifier}" from ${appDir}`, {
      field,
      hint: isPath
        ? 'Check the path: it is relative to the folder of the ferry config.'
        : `Install it in the app (npm install ${specifier}) or fix the package name.`,
      cause: error,
    });
  }
  let mod: Record<string, unknown>;
  try {
    mod = await jiti.import<Record<string, unknown>>(resolved);
  } catch (error) {
    throw new FerryError('PLUGIN_LOAD_FAILED', `plugin module "${specifier}" failed to load: ${(error as Error).message}`, {
      field,
      hint: 'Fix the error in the plugin module (run it with node to see the stack), or remove it from the config.',
      cause: error,
    });
  }
  const plugin = mod.plugin ?? mod.default;
  if (plugin === undefined) {
    throw new FerryError('PLUGIN_INVALID', `module "${specifier}" exports no plugin`, {
      field,
      hint: 'Export the result of definePlugin() as `export const plugin = definePlugin({...})`.',
    });
  }
  const packageRoot = isPath ? undefined : findPackageRoot(resolved);
  return packageRoot === undefined ? { plugin } : { plugin, packageRoot };
}

function toPath(resolved: string): string {
  return resolved.startsWith('file:') ? fileURLToPath(resolved) : resolved;
}

function findPackageRoot(resolved: string): string | undefined {
  let dir = dirname(resolved);
  while (dir !== dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && typeof JSON.parse(readFileSync(manifest, 'utf8')).name === 'string') return dir;
    dir = dirname(dir);
  }
  return undefined;
}
