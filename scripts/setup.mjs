#!/usr/bin/env node
// One entry for every root script, so a fresh clone needs only Node and npm:
// it installs the workspace with the pinned pnpm (through npx when pnpm is not
// on PATH) whenever the lockfile changed since the last install, then builds.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmSpec = pkg.packageManager; // e.g. pnpm@10.34.9
const wantedVersion = pnpmSpec.split('@')[1];

function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim().split('.')[0] === wantedVersion.split('.')[0]) {
    return ['pnpm', []];
  }
  return ['npx', ['--yes', pnpmSpec]];
}

function needsInstall() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  const lock = join(root, 'pnpm-lock.yaml');
  if (!existsSync(marker)) return true;
  if (!existsSync(lock)) return true;
  const markerTime = statSync(marker).mtimeMs;
  const inputs = [lock, join(root, 'package.json'), join(root, 'pnpm-workspace.yaml')];
  return inputs.some((file) => statSync(file).mtimeMs > markerTime);
}

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    console.error(`\nferry setup: \`${[cmd, ...args].join(' ')}\` failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

if (needsInstall()) {
  const [cmd, prefix] = pnpmCommand();
  const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
  run(cmd, [...prefix, 'install', ...frozen]);
}

if (!process.argv.includes('--no-build')) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  run(process.execPath, [tsc, '-b']);
}
