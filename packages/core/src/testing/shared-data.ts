import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsvRecords } from '../providers/offline/csv.js';

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

/**
 * Reads a file of the shared datasets, which live beside the Ferry repository
 * (CI clones it with ../shared next to it), never inside it. For the
 * repository's own tests and benchmarks.
 */
export function readSharedData(relative: string): string {
  const file = path.resolve(findRepoRoot(), '../shared/data', relative);
  if (!existsSync(file)) throw new Error(`test data ${file} is missing: the repository must be checked out with ../shared beside it`);
  return readFileSync(file, 'utf8');
}

export interface QaParagraph {
  /** `<article>-<paragraph>`, unique in the file. */
  id: string;
  article: string;
  context: string;
  questions: Array<{ id: string; question: string; answer: string }>;
}

interface SquadFile {
  data: Array<{
    title: string;
    paragraphs: Array<{ context: string; qas: Array<{ id: string; question: string; answers: Array<{ text: string }> }> }>;
  }>;
}

/** XQuAD English (SQuAD v1.1 format): 240 Wikipedia paragraphs, 1,190 extractive questions. */
export function loadXquadParagraphs(): QaParagraph[] {
  const squad = JSON.parse(readSharedData('qa/xquad.en.json')) as SquadFile;
  return squad.data.flatMap((article, a) =>
    article.paragraphs.map((paragraph, p) => ({
      id: `${a}-${p}`,
      article: article.title,
      context: paragraph.context,
      questions: paragraph.qas.map((qa) => ({ id: qa.id, question: qa.question, answer: qa.answers[0]?.text ?? '' })),
    })),
  );
}

/** BANKING77 intents: `train` (10,003 rows) or `test` (3,080 rows, 40 per label). */
export function loadBanking77(split: 'train' | 'test'): Array<{ text: string; label: string }> {
  return parseCsvRecords(readSharedData(`intents/${split}.csv`)).map((row) => ({ text: row.text ?? '', label: row.category ?? '' }));
}

/** The 77 BANKING77 label names, as published beside the CSVs. */
export function loadBanking77Labels(): string[] {
  return JSON.parse(readSharedData('intents/categories.json')) as string[];
}
