#!/usr/bin/env node
// Time from `create-ferry-app` to a green generated test suite, offline, per
// template: scaffold (linked to the workspace), type-check, run the app's own
// tests. Goal: under 60 s on the 2-core CI machine. Run after `npm run build`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, listTemplates } from '../packages/create-app/dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const rows = [];
for (const { manifest } of await listTemplates()) {
  const dir = join(mkdtempSync(join(tmpdir(), 'ferry-bench-')), 'app');
  const started = performance.now();
  await createApp({ dir, name: `bench-${manifest.name}`, template: manifest.name });
  const scaffolded = performance.now();
  execFileSync(join(dir, 'node_modules/.bin/tsc'), ['--noEmit'], { cwd: dir, stdio: 'pipe' });
  const typechecked = performance.now();
  const out = execFileSync(join(dir, 'node_modules/.bin/vitest'), ['run'], { cwd: dir, stdio: 'pipe', encoding: 'utf8' });
  const tested = performance.now();
  const passed = /Tests\s+\S*?(\d+) passed/.exec(out.replace(/\x1b\[[0-9;]*m/g, ''))?.[1];
  rows.push({
    template: manifest.name,
    scaffoldS: +((scaffolded - started) / 1000).toFixed(2),
    typecheckS: +((typechecked - scaffolded) / 1000).toFixed(2),
    testS: +((tested - typechecked) / 1000).toFixed(2),
    totalS: +((tested - started) / 1000).toFixed(2),
    testsPassed: Number(passed),
  });
}
console.log('| template | scaffold + link s | tsc --noEmit s | app tests s | total s | tests passed |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.template} | ${r.scaffoldS} | ${r.typecheckS} | ${r.testS} | **${r.totalS}** | ${r.testsPassed} |`);
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'create-app.json'), `${JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, node: process.version, rows }, null, 2)}\n`);
