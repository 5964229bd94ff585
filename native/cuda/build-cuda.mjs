#!/usr/bin/env node
// Builds native/cuda/build/ferry_cuda.node when nvcc is available: the .cu
// files with nvcc (SASS for sm_80 / sm_90, PTX for newer GPUs), the N-API
// bindings with the host compiler, linked against the static CUDA runtime so
// the addon loads (and reports "no device") on machines without a GPU or
// driver. Never fails the install: on any problem it prints one line, records
// the reason in build/ferry-cuda-status.json and exits 0.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const buildDir = join(here, 'build');
const statusFile = join(buildDir, 'ferry-cuda-status.json');
const addonFile = join(buildDir, 'ferry_cuda.node');
const GENCODE = ['-gencode', 'arch=compute_80,code=sm_80', '-gencode', 'arch=compute_90,code=sm_90', '-gencode', 'arch=compute_90,code=compute_90'];

function writeStatus(status) {
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(statusFile, `${JSON.stringify({ ...status, at: new Date().toISOString() }, null, 2)}\n`);
}

function skip(reason) {
  console.log(`ferry cuda: skipped, ${reason}`);
  writeStatus({ built: false, reason });
  process.exit(0);
}

function findNvcc() {
  const candidates = [process.env.CUDA_HOME && join(process.env.CUDA_HOME, 'bin', 'nvcc')].filter(Boolean);
  const onPath = spawnSync('sh', ['-c', 'command -v nvcc'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) candidates.unshift(onPath.stdout.trim());
  return candidates.find((file) => existsSync(file));
}

// nvcc may be a symlink or wrapper outside the toolkit; the runtime library and headers decide.
function findToolkit(nvcc) {
  const roots = [dirname(dirname(realpathSync(nvcc))), process.env.CUDA_HOME, '/usr/local/cuda'].filter(Boolean);
  for (const root of roots) {
    for (const lib of ['lib64', 'lib', 'targets/x86_64-linux/lib', 'targets/sbsa-linux/lib']) {
      if (existsSync(join(root, lib, 'libcudart_static.a')) && existsSync(join(root, 'include', 'cuda_runtime.h'))) return { root, lib: join(root, lib) };
    }
  }
  return undefined;
}

function findNodeHeaders() {
  const candidates = [join(dirname(dirname(process.execPath)), 'include', 'node'), process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include', 'node')];
  return candidates.filter(Boolean).find((dir) => existsSync(join(dir, 'node_api.h')));
}

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: here, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', (error) => resolve({ ok: false, message: error.message }));
    child.on('close', (code) => resolve({ ok: code === 0, message: stderr.trim() }));
  });
}

async function runAll(jobs, parallel) {
  const failures = [];
  const queue = [...jobs];
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const result = await run(job.command, job.args);
      if (result.ok && result.message) console.error(result.message);
      if (!result.ok) failures.push(`${job.label}: ${result.message.split('\n').slice(0, 20).join('\n')}`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return failures;
}

const nvcc = findNvcc();
if (!nvcc) skip('nvcc not found (install the CUDA toolkit or set CUDA_HOME to build the cuda backend)');
const toolkit = findToolkit(nvcc);
if (!toolkit) skip(`nvcc at ${nvcc} but no cuda_runtime.h / libcudart_static.a next to it (set CUDA_HOME)`);
const nodeHeaders = findNodeHeaders();
if (!nodeHeaders) skip(`Node headers (node_api.h) not found next to ${process.execPath}; set npm_config_nodedir`);
const cxx = process.env.CXX ?? 'g++';

const objDir = join(buildDir, 'obj');
mkdirSync(objDir, { recursive: true });
const sources = readdirSync(here).filter((file) => file.endsWith('.cu'));
const objects = [];
const jobs = sources.map((file) => {
  const object = join(objDir, `${file}.o`);
  objects.push(object);
  return { label: file, command: nvcc, args: ['-c', file, '-o', object, '-O3', '-std=c++17', ...GENCODE, '-Xcompiler', '-fPIC', '-Xcompiler', '-fvisibility=hidden'] };
});
const addonObject = join(objDir, 'addon.o');
objects.push(addonObject);
jobs.push({
  label: 'addon.cc',
  command: cxx,
  args: ['-c', 'addon.cc', '-o', addonObject, '-O2', '-std=c++17', '-fPIC', '-fvisibility=hidden', `-I${nodeHeaders}`, `-I${join(toolkit.root, 'include')}`],
});

const started = Date.now();
console.log(`ferry cuda: compiling ${jobs.length} files with ${nvcc}`);
const failures = await runAll(jobs, Math.max(1, Math.min(jobs.length, availableParallelism())));
if (failures.length > 0) {
  console.error(failures.join('\n'));
  skip(`compilation failed (${failures.length} file(s)); see the output above`);
}
const link = await run(cxx, ['-shared', '-o', addonFile, ...objects, `-L${toolkit.lib}`, '-lcudart_static', '-ldl', '-lpthread', '-lrt']);
if (!link.ok) {
  console.error(link.message);
  skip('linking ferry_cuda.node failed; see the output above');
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`ferry cuda: built ${addonFile} in ${seconds}s`);
writeStatus({ built: true, addon: addonFile, nvcc, toolkit: toolkit.root, gencode: GENCODE.filter((arg) => arg !== '-gencode') });
