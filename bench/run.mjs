#!/usr/bin/env node
// Runs every bench/*.bench.mjs and bench/<topic>/*.bench.mjs in turn (or
// those whose path contains a word given on the command line); each writes
// its own results under bench/results/ or its topic folder.
import { readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const topics = readdirSync(here).filter((d) => d !== 'lib' && d !== 'results' && statSync(join(here, d)).isDirectory());
const files = [...readdirSync(here), ...topics.flatMap((d) => readdirSync(join(here, d)).map((f) => join(d, f)))]
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)));
let failed = 0;
for (const file of files) {
  console.log(`\n== ${file}`);
  const result = spawnSync(process.execPath, [join(here, file)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
