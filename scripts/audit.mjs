#!/usr/bin/env node
// `pnpm audit` of the production dependencies, as a gate: exit 1 on any high
// or critical advisory. A registry whose audit endpoint cannot answer (this
// project's build machines get 405) is reported as "not run", never as a
// pass; FERRY_AUDIT_REQUIRED=1 (a release pipeline) makes that a failure too.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pnpmCommand } from './pnpm-command.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [cmd, prefix] = pnpmCommand(root);
const run = spawnSync(cmd, [...prefix, 'audit', '--prod', '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });

let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  const code = run.error ? `${run.error.code ?? run.error.message} (after ${run.error.code === 'ETIMEDOUT' ? '120 s' : 'starting pnpm'})` : `exit ${run.status}`;
  report = { error: { code, message: (run.stderr || run.stdout || 'no output').trim().slice(0, 500) } };
}

if (report.error) {
  console.error(`audit NOT RUN: ${report.error.code}: ${report.error.message}`);
  console.error('No result for the production dependencies: run `node scripts/audit.mjs` where the registry answers audits before a release.');
  process.exit(process.env.FERRY_AUDIT_REQUIRED === '1' ? 2 : 0);
}

const counts = report.metadata?.vulnerabilities ?? {};
const blocking = Object.values(report.advisories ?? {}).filter((a) => a.severity === 'high' || a.severity === 'critical');
for (const a of blocking) {
  const paths = [...new Set((a.findings ?? []).flatMap((f) => f.paths ?? []))].slice(0, 3).join(', ');
  console.error(`${a.severity.toUpperCase()} ${a.module_name} ${a.vulnerable_versions}: ${a.title} (${a.url}) via ${paths}; fixed in ${a.patched_versions}`);
}
console.log(`audit of production dependencies (${report.metadata?.dependencies ?? '?'} packages): ${JSON.stringify(counts)}`);
if (blocking.length > 0) {
  console.error(`${blocking.length} high or critical advisories: upgrade the packages above (or override their versions in pnpm-workspace.yaml).`);
  process.exit(1);
}
