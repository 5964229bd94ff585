#!/usr/bin/env node
// The main job, offline: scaffold the knowledge-base app into a temporary
// folder, ingest its sample documents, ask a question, print the answer with
// its sources. Usage: npm run demo -- ["question"] [--dir DIR] [--docs FOLDER]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '../packages/create-app/dist/index.js';

const args = process.argv.slice(2);
const flag = (name) => {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const [, value] = args.splice(at, 2);
  return value;
};
const dir = resolve(flag('--dir') ?? join(mkdtempSync(join(tmpdir(), 'ferry-demo-')), 'knowledge-base'));
const docs = flag('--docs');
const question = args.join(' ').trim() || 'How long do I have to request a refund?';

const step = (message) => console.log(`\n» ${message}`);
function inApp(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  if (result.status !== 0) {
    console.error(`demo: \`${[command, ...commandArgs].join(' ')}\` failed in ${dir}`);
    process.exit(result.status ?? 1);
  }
}

step(`create-ferry-app ${dir} --template knowledge-base --yes`);
const app = await createApp({ dir, name: 'knowledge-base-demo', template: 'knowledge-base', force: true }, { onStep: (m) => console.log(`  ${m}`) });
if (docs) {
  rmSync(join(dir, 'data', 'docs'), { recursive: true, force: true });
  cpSync(resolve(docs), join(dir, 'data', 'docs'), { recursive: true });
}
step('npm run build');
inApp(join(dir, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json']);
step('npm run ingest');
inApp(process.execPath, ['dist/ingest.js']);
step(`npm run ask "${question}"`);
inApp(process.execPath, ['dist/ask.js', question]);
console.log(`\nThe app is in ${app.dir}: \`cd ${app.dir} && npm start\` serves the chat page and API on http://127.0.0.1:3000; \`npm test\` runs its tests.`);
