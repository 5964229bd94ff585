#!/usr/bin/env node
// Builds the addon from source at install time. It never fails the install:
// without a compiler Ferry still works on the js backend, so a failed build
// is recorded in build/ferry-native-status.json for `ferry doctor` and the
// backend's available() to explain, and this script exits 0.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const statusFile = join(root, 'build', 'ferry-native-status.json');
const FIX = 'Install a C++17 compiler, make and python3 (Debian/Ubuntu: apt-get install build-essential python3), then run `pnpm rebuild @ferry/native` (or `node native/scripts/build-native.mjs`).';

function record(status) {
  mkdirSync(dirname(statusFile), { recursive: true });
  writeFileSync(statusFile, `${JSON.stringify({ ...status, node: process.version, platform: `${process.platform}-${process.arch}`, at: new Date().toISOString() }, null, 2)}\n`);
}

function fail(reason, detail = '') {
  record({ ok: false, reason, detail: detail.slice(-4000), fix: FIX });
  console.warn(`@ferry/native: addon not built (${reason}); Ferry will use the js kernels. ${FIX}`);
  process.exit(0);
}

/** node-gyp from our devDependencies, else the copy npm bundles, else what npm says it uses. */
function findNodeGyp() {
  try {
    return createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    const candidates = [
      process.env.npm_config_node_gyp,
      join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    ];
    return candidates.find((file) => file && existsSync(file));
  }
}

/**
 * Node's own headers when they ship beside the binary (distro packages and
 * official tarballs do), so the build works offline instead of downloading them.
 */
function localNodeDir() {
  const configured = process.env.npm_config_nodedir;
  if (configured && existsSync(join(configured, 'include', 'node', 'node_api.h'))) return configured;
  const prefix = join(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

if (process.env.FERRY_SKIP_NATIVE_BUILD) fail('FERRY_SKIP_NATIVE_BUILD is set');

const nodeGyp = findNodeGyp();
if (!nodeGyp) fail('node-gyp was not found (neither installed nor bundled with npm)');

const compiler = process.env.CXX ?? 'c++';
const probe = spawnSync(compiler, ['--version'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0) fail(`no C++ compiler: \`${compiler} --version\` failed (${probe.error?.message ?? `exit ${probe.status}`})`);

const nodedir = localNodeDir();
const args = [nodeGyp, 'rebuild', '--release', '--jobs', 'max', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
const started = Date.now();
const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
if (result.error || result.status !== 0) {
  const firstError = output.split('\n').find((line) => /\berror\b/i.test(line) && !line.startsWith('gyp ERR!'));
  fail(`node-gyp rebuild failed (${result.error?.message ?? `exit ${result.status}`})${firstError ? `: ${firstError.trim()}` : ''}`, output);
}
record({ ok: true, addon: 'build/Release/ferry_native.node', seconds: (Date.now() - started) / 1000, compiler: probe.stdout.split('\n')[0] });
console.log(`@ferry/native: addon built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
