#!/usr/bin/env node
// One entry for every root script, so a fresh clone needs only Node and npm:
// it installs the workspace with the pinned pnpm (through npx when pnpm is not
// on PATH) whenever the lockfile changed since the last install, then builds.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pnpmCommand } from './pnpm-command.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

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
  const [cmd, prefix] = pnpmCommand(root);
  const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
  run(cmd, [...prefix, 'install', ...frozen]);
}

if (!process.argv.includes('--no-build')) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  run(process.execPath, [tsc, '-b']);
}
