import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The installed chromadb client's folder and version (its exports map hides package.json). */
export function chromaPackage(): { dir: string; version: string } {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve('chromadb'));
  while (!readJson(join(dir, 'package.json'))) dir = dirname(dir);
  return { dir, version: readJson(join(dir, 'package.json'))!.version };
}

function readJson(path: string): { name: string; version: string } | undefined {
  try {
    const pkg = JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
    return pkg.name === 'chromadb' && typeof pkg.version === 'string' ? { name: pkg.name, version: pkg.version } : undefined;
  } catch {
    return undefined;
  }
}
