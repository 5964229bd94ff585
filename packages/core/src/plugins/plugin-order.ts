import semver from 'semver';
import { FerryError } from '../errors/ferry-error.js';
import type { FerryPlugin } from './define-plugin.js';

export interface PluginEntry {
  plugin: FerryPlugin<unknown, unknown>;
  /** Where it came from (`@ferry/plugin-rag`, `./plugins/acme.js`, `built-in`) for messages. */
  source: string;
  /** Index in the config's `plugins` list, for field paths; -1 for built-ins. */
  index: number;
  config: unknown;
}

function fieldOf(entry: PluginEntry, rest: string): string {
  return entry.index < 0 ? rest : `plugins[${entry.index}].${rest}`;
}

/**
 * Checks the set of plugins as a whole (unique names, core version,
 * dependencies present and in range) and returns them in setup order:
 * dependencies first, config order otherwise, cycles rejected.
 */
export function orderPlugins(entries: PluginEntry[], coreVersion: string): PluginEntry[] {
  const byName = new Map<string, PluginEntry>();
  for (const entry of entries) {
    const other = byName.get(entry.plugin.name);
    if (other) {
      throw new FerryError('PLUGIN_DUPLICATE', `plugin "${entry.plugin.name}" is loaded twice (from ${other.source} and from ${entry.source})`, {
        plugin: entry.plugin.name,
        field: fieldOf(entry, 'name'),
        hint: 'List each plugin once in your ferry config; if two packages claim the same name, rename one of them.',
      });
    }
    byName.set(entry.plugin.name, entry);
  }

  for (const entry of entries) {
    const { plugin } = entry;
    if (plugin.core !== undefined && !semver.satisfies(coreVersion, plugin.core, { includePrerelease: true })) {
      throw new FerryError('CORE_VERSION_MISMATCH', `plugin "${plugin.name}" needs @ferry/core ${plugin.core}, but this is ${coreVersion}`, {
        plugin: plugin.name,
        field: fieldOf(entry, 'core'),
        hint: `Install a version of "${plugin.name}" built for @ferry/core ${coreVersion}, or move @ferry/core to a version in ${plugin.core}.`,
      });
    }
    for (const [dependency, range] of Object.entries(plugin.requires ?? {})) {
      const found = byName.get(dependency);
      if (!found) {
        throw new FerryError('PLUGIN_MISSING_DEPENDENCY', `plugin "${plugin.name}" requires "${dependency}" (${range}), which is not loaded`, {
          plugin: plugin.name,
          field: fieldOf(entry, `requires.${dependency}`),
          hint: `Add "${dependency}" to the plugins list of your ferry config (and install it), or remove "${plugin.name}".`,
        });
      }
      if (!semver.satisfies(found.plugin.version, range, { includePrerelease: true })) {
        throw new FerryError(
          'PLUGIN_VERSION_MISMATCH',
          `plugin "${plugin.name}" requires "${dependency}" ${range}, but version ${found.plugin.version} is loaded`,
          {
            plugin: plugin.name,
            field: fieldOf(entry, `requires.${dependency}`),
            hint: `Install a version of "${dependency}" that satisfies ${range}, or a version of "${plugin.name}" that accepts ${found.plugin.version}.`,
          },
        );
      }
    }
  }

  const ordered: PluginEntry[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (entry: PluginEntry, path: string[]): void => {
    const name = entry.plugin.name;
    const seen = state.get(name);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      throw new FerryError('PLUGIN_CYCLE', `plugins require each other in a cycle: ${cycle.join(' -> ')}`, {
        plugin: name,
        field: fieldOf(entry, 'requires'),
        hint: `Break the cycle: one of ${cycle.slice(0, -1).map((n) => `"${n}"`).join(', ')} must stop requiring the next; move the shared part into a plugin both require.`,
      });
    }
    state.set(name, 'visiting');
    for (const dependency of Object.keys(entry.plugin.requires ?? {})) {
      visit(byName.get(dependency) as PluginEntry, [...path, name]);
    }
    state.set(name, 'done');
    ordered.push(entry);
  };
  for (const entry of entries) visit(entry, []);
  return ordered;
}
