import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

type Exports = string | null | { [key: string]: Exports } | Exports[];

/**
 * Resolves a package specifier (`@ferry/plugin-rag`, `pkg/sub`) from `fromDir`
 * the way `import` does: node_modules lookup, then the package's `exports`
 * with the `import` / `node` / `default` conditions. jiti resolves with
 * `require` conditions, which ESM-only packages (all of Ferry's) do not have.
 */
export function resolvePackageEntry(specifier: string, fromDir: string): string | undefined {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  const subpath = parts.length > nameLength ? `./${parts.slice(nameLength).join('/')}` : '.';
  const require = createRequire(join(fromDir, 'noop.js'));
  for (const base of require.resolve.paths(name) ?? []) {
    const root = join(base, name);
    const manifestPath = join(root, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: Exports; main?: string; module?: string };
    const target = manifest.exports === undefined ? legacyEntry(manifest, subpath) : exportTarget(manifest.exports, subpath);
    return target === undefined ? undefined : join(root, target);
  }
  return undefined;
}

function legacyEntry(manifest: { main?: string; module?: string }, subpath: string): string | undefined {
  if (subpath !== '.') return subpath;
  return manifest.module ?? manifest.main ?? 'index.js';
}

function exportTarget(exports: Exports, subpath: string): string | undefined {
  const isSubpathMap = typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'));
  const entry = isSubpathMap ? (exports as Record<string, Exports>)[subpath] : subpath === '.' ? exports : undefined;
  return entry === undefined ? undefined : pickCondition(entry);
}

function pickCondition(entry: Exports): string | undefined {
  if (typeof entry === 'string') return entry;
  if (entry === null) return undefined;
  if (Array.isArray(entry)) {
    for (const item of entry) {
      const found = pickCondition(item);
      if (found) return found;
    }
    return undefined;
  }
  for (const condition of ['import', 'node', 'default']) {
    const value = entry[condition];
    if (value !== undefined) return pickCondition(value);
  }
  return undefined;
}
