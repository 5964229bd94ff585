import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsvRecords } from '@ferry/core';

/** The monorepo root: the nearest folder above this file with `pnpm-workspace.yaml`. */
function findRepoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'pnpm-workspace.yaml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('pnpm-workspace.yaml not found above the test file');
    dir = parent;
  }
  return dir;
}

/** BANKING77 train split (10,003 labelled customer queries), from ../shared beside the repository. */
export function loadBanking77Train(): Array<{ text: string; label: string }> {
  const file = path.resolve(findRepoRoot(), '../shared/data/intents/train.csv');
  if (!existsSync(file)) throw new Error(`test data ${file} is missing: the repository must be checked out with ../shared beside it`);
  return parseCsvRecords(readFileSync(file, 'utf8')).map((row) => ({ text: row.text ?? '', label: row.category ?? '' }));
}
