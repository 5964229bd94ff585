import type { SpanRecord } from './tracing.js';

/**
 * A Mermaid gantt chart of a run: one section per root span (the pipeline),
 * one bar per span, nested spans named by their path (`embed › tokenize`),
 * failed spans marked `crit`.
 */
export function traceToMermaid(spans: readonly SpanRecord[], options: { title?: string } = {}): string {
  const ids = new Set(spans.map((s) => s.id));
  const children = new Map<string | undefined, SpanRecord[]>();
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const parent = span.parentId !== undefined && ids.has(span.parentId) ? span.parentId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const first = Math.min(...spans.map((s) => s.start));
  const last = Math.max(...spans.map((s) => s.end));
  const lines = [
    'gantt',
    `  title ${clean(options.title ?? spans.find((s) => s.parentId === undefined)?.name ?? 'trace')}`,
    '  dateFormat x',
    `  axisFormat ${last - first < 60_000 ? '%S.%L s' : '%H:%M:%S'}`,
  ];
  let n = 0;
  const walk = (span: SpanRecord, label: string, root: boolean): void => {
    const status = span.status === 'error' ? 'crit' : 'done';
    const start = Math.round(span.start);
    // Mermaid draws nothing for a zero-length bar; the label keeps the true duration.
    const end = Math.max(start + 1, Math.round(span.end));
    lines.push(`  ${clean(label)} ${formatMs(span.durationMs)} :${status}, s${n++}, ${start}, ${end}`);
    for (const child of children.get(span.id) ?? []) walk(child, root ? child.name : `${label} › ${child.name}`, false);
  };
  for (const root of children.get(undefined) ?? []) {
    lines.push(`  section ${clean(root.name)}`);
    walk(root, root.name, true);
  }
  return `${lines.join('\n')}\n`;
}

// `:` ends a task name and `#`/`;` start comments or statements in Mermaid.
function clean(text: string): string {
  return text.replace(/[:#;\s]+/g, ' ').trim();
}

function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
