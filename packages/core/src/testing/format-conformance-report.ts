import type { KernelName } from '../kernels/kernel-types.js';
import type { ConformanceReport, ConformanceResult } from './conformance-types.js';

/**
 * A plain-text summary: one line per kernel, and one line per failing case
 * with its error and tolerance, so a plugin author sees what to fix first.
 */
export function formatConformanceReport(report: ConformanceReport): string {
  const failed = report.results.filter((r) => !r.passed).length;
  const verdict = report.passed ? 'PASSED' : 'FAILED';
  const lines = [`kernel conformance of "${report.backend}": ${verdict}, ${report.results.length - failed} of ${report.results.length} cases passed`];
  if (!report.available) lines.push(`  backend unavailable: ${report.reason ?? 'its probe said no'}`);
  const byKernel = new Map<KernelName, ConformanceResult[]>();
  for (const result of report.results) byKernel.set(result.kernel, [...(byKernel.get(result.kernel) ?? []), result]);
  const width = Math.max(0, ...[...byKernel.keys()].map((k) => k.length));
  for (const [kernel, results] of byKernel) {
    const failures = results.filter((r) => !r.passed);
    const maxAbs = Math.max(...results.map((r) => r.maxAbsErr));
    const maxRel = Math.max(...results.map((r) => r.maxRelErr));
    const status = failures.length === 0 ? 'ok  ' : 'FAIL';
    const counts = failures.length === 0 ? `${results.length} cases` : `${failures.length} of ${results.length} cases failed`;
    lines.push(`  ${status} ${kernel.padEnd(width)}  ${counts}, max abs err ${exp(maxAbs)}, max rel err ${exp(maxRel)}`);
    for (const r of failures) {
      lines.push(`       - ${r.case}: ${r.error ?? 'failed'} (tolerance abs ${exp(r.tolerance.abs)}, rel ${exp(r.tolerance.rel)})`);
    }
  }
  if (report.skipped.length > 0) lines.push(`  not checked (not implemented or filtered out): ${report.skipped.join(', ')}`);
  return lines.join('\n');
}

function exp(value: number): string {
  return value === 0 ? '0' : value.toExponential(1);
}
