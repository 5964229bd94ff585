// The pinned pnpm of package.json's packageManager: the one on PATH when its
// major matches, else through npx, so a machine with only Node and npm works.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `[command, argsBeforeThePnpmArgs]` for running the workspace's pnpm from `root`. */
export function pnpmCommand(root) {
  const spec = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager; // e.g. pnpm@10.34.9
  const wantedMajor = spec.split('@')[1].split('.')[0];
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim().split('.')[0] === wantedMajor) return ['pnpm', []];
  return ['npx', ['--yes', spec]];
}
