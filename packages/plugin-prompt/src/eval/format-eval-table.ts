import type { EvalReport } from './evaluate-prompts.js';

const HEADERS = ['variant', 'accuracy', 'macro-F1', 'weighted-F1', 'JSON valid', 'mean ms', 'p95 ms', 'tokens', 'errors'];

/** The report as an aligned text table, one row per variant; numbers are right-aligned so they line up by digit. */
export function formatEvalTable(report: EvalReport): string {
  const rows = report.variants.map((v) => [
    v.name,
    v.accuracy.toFixed(3),
    v.macroF1.toFixed(3),
    v.weightedF1.toFixed(3),
    v.jsonValidRate === undefined ? '-' : v.jsonValidRate.toFixed(3),
    v.meanLatencyMs.toFixed(2),
    v.p95LatencyMs.toFixed(2),
    String(v.totalTokens),
    String(v.errors),
  ]);
  const widths = HEADERS.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(HEADERS), rule, ...rows.map(line), '', `${report.examples} examples; labels: ${report.labels.join(', ')}`].join('\n');
}
