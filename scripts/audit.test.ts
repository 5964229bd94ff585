import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('./audit.mjs', import.meta.url));

/** Runs audit.mjs with a `pnpm` on PATH that answers `audit --json` with `report` (the registry's answer, as pnpm prints it). */
function audit(report: unknown, env: Record<string, string> = {}) {
  const bin = mkdtempSync(join(tmpdir(), 'ferry-audit-'));
  writeFileSync(join(bin, 'report.json'), JSON.stringify(report));
  writeFileSync(join(bin, 'pnpm'), `#!/bin/sh\nif [ "$1" = "--version" ]; then echo 10.34.9; exit 0; fi\ncat "${join(bin, 'report.json')}"\nexit 1\n`);
  chmodSync(join(bin, 'pnpm'), 0o755);
  const run = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ...env } });
  return { status: run.status, out: run.stdout + run.stderr };
}

const advisory = (id: number, module_name: string, severity: string) => ({
  id,
  module_name,
  severity,
  title: `${module_name} flaw`,
  url: `https://github.com/advisories/GHSA-${id}`,
  vulnerable_versions: '<2.0.0',
  patched_versions: '>=2.0.0',
  findings: [{ version: '1.0.0', paths: [`packages__server>${module_name}`] }],
});

describe('scripts/audit.mjs', () => {
  it('fails on a high or critical advisory in production dependencies, naming the package and the path to it', () => {
    const { status, out } = audit({
      advisories: { 1: advisory(1, 'fastify-thing', 'high'), 2: advisory(2, 'left-pad', 'moderate') },
      metadata: { vulnerabilities: { info: 0, low: 0, moderate: 1, high: 1, critical: 0 }, dependencies: 321 },
    });
    expect(status).toBe(1);
    expect(out).toContain('HIGH fastify-thing <2.0.0: fastify-thing flaw');
    expect(out).toContain('via packages__server>fastify-thing; fixed in >=2.0.0');
    expect(out).not.toContain('left-pad flaw');
    expect(out).toContain('1 high or critical advisories');
  });

  it('passes with moderate advisories only, printing the counts', () => {
    const { status, out } = audit({ advisories: { 2: advisory(2, 'left-pad', 'moderate') }, metadata: { vulnerabilities: { info: 0, low: 0, moderate: 1, high: 0, critical: 0 }, dependencies: 321 } });
    expect(status).toBe(0);
    expect(out).toContain('(321 packages): {"info":0,"low":0,"moderate":1,"high":0,"critical":0}');
  });

  it('says NOT RUN when the registry cannot answer audits, and fails then only when an audit is required', () => {
    const unavailable = { error: { code: 'ERR_PNPM_AUDIT_BAD_RESPONSE', message: 'The audit endpoint responded with 405' } };
    const lenient = audit(unavailable);
    expect(lenient.status).toBe(0);
    expect(lenient.out).toContain('audit NOT RUN: ERR_PNPM_AUDIT_BAD_RESPONSE');
    expect(audit(unavailable, { FERRY_AUDIT_REQUIRED: '1' }).status).toBe(2);
  });
});
