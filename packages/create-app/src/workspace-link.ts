import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, realpath, rm, symlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FerryError } from '@ferry/core';
import { pathInside } from './path-inside.js';

/**
 * The Ferry monorepo this copy of create-ferry-app runs from, if any: then
 * apps are linked to the workspace packages instead of installed from npm,
 * which works offline and tests the code as it is now.
 */
export function findWorkspaceRoot(): string | undefined {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const core = join(root, 'packages', 'core', 'package.json');
  if (!existsSync(join(root, 'pnpm-workspace.yaml')) || !existsSync(core)) return undefined;
  return (JSON.parse(readFileSync(core, 'utf8')) as { name?: string }).name === '@ferry/core' ? root : undefined;
}

async function workspacePackages(root: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const dirs = [join(root, 'native'), ...(await readdir(join(root, 'packages'))).map((d) => join(root, 'packages', d))];
  for (const dir of dirs) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name } = JSON.parse(await readFile(manifest, 'utf8')) as { name?: string };
    if (name) found.set(name, dir);
  }
  return found;
}

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  bin?: string | Record<string, string>;
  name?: string;
}

/**
 * Links every dependency of the app into its node_modules: workspace
 * packages by folder, third-party ones to the copy the workspace installed.
 * Binaries (tsc, vitest) get `.bin` links so the app's scripts run.
 */
export async function linkWorkspaceDependencies(appDir: string, root: string): Promise<string[]> {
  const app = JSON.parse(await readFile(join(appDir, 'package.json'), 'utf8')) as Manifest;
  const names = [...Object.keys(app.dependencies ?? {}), ...Object.keys(app.devDependencies ?? {})];
  const workspace = await workspacePackages(root);
  const searchDirs = [root, ...workspace.values()].map((dir) => join(dir, 'node_modules'));
  const modules = join(appDir, 'node_modules');
  const bins = join(modules, '.bin');
  await mkdir(bins, { recursive: true });
  for (const name of names) {
    // Checked before the lookup: the link is removed and replaced below, which must never happen outside node_modules.
    const link = pathInside(modules, name, `dependencies.${name}`, 'Dependency names are npm package names ("zod", "@ferry/core"); fix the app\'s package.json.');
    const target = workspace.get(name) ?? (await findInstalled(name, searchDirs));
    if (!target) {
      throw new FerryError('INPUT_INVALID', `dependency "${name}" of the new app is not installed in the Ferry workspace ${root}`, {
        field: `dependencies.${name}`,
        hint: 'Run the workspace install (npm run setup) first, or create the app with --no-install and run npm install in it.',
      });
    }
    await mkdir(dirname(link), { recursive: true });
    await rm(link, { recursive: true, force: true });
    await symlink(target, link, 'dir');
    await linkBins(target, bins);
  }
  return names;
}

async function findInstalled(name: string, searchDirs: string[]): Promise<string | undefined> {
  for (const dir of searchDirs) {
    const candidate = join(dir, name);
    if (existsSync(join(candidate, 'package.json'))) return realpath(candidate);
  }
  return undefined;
}

async function linkBins(packageDir: string, binDir: string): Promise<void> {
  const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as Manifest;
  const bin = typeof manifest.bin === 'string' ? { [manifest.name?.split('/').pop() ?? '']: manifest.bin } : (manifest.bin ?? {});
  for (const [command, file] of Object.entries(bin)) {
    if (!command) continue;
    const link = pathInside(binDir, command, `${manifest.name ?? packageDir}: bin.${command}`, 'A command name is a file name in node_modules/.bin; fix or remove that package.');
    await rm(link, { force: true });
    await symlink(relative(binDir, join(packageDir, file)), link);
  }
}
