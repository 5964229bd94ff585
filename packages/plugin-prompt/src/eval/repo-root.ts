import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The nearest ancestor of `start` holding pnpm-workspace.yaml, or undefined outside the monorepo. */
export function findRepoRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
