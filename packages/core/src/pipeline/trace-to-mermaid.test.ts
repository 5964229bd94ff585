import { describe, expect, it } from 'vitest';
import { traceToMermaid } from './trace-to-mermaid.js';
import type { SpanRecord } from './tracing.js';

function span(id: string, name: string, start: number, end: number, parentId?: string, status: 'ok' | 'error' = 'ok'): SpanRecord {
  return { id, traceId: 't', parentId, name, start, end, durationMs: end - start, status, attributes: {} };
}

describe('traceToMermaid', () => {
  it('draws a gantt chart with one bar per span, nested spans named by path', () => {
    const t0 = 1_700_000_000_000;
    const chart = traceToMermaid(
      [
        span('1', 'ingest', t0, t0 + 120),
        span('2', 'load: files', t0, t0 + 20, '1'),
        span('3', 'read', t0 + 2, t0 + 7.25, '2'),
        span('4', 'embed', t0 + 20, t0 + 120, '1', 'error'),
      ],
      { title: 'ingest run 42' },
    );
    expect(chart).toBe(
      [
        'gantt',
        '  title ingest run 42',
        '  dateFormat x',
        '  axisFormat %S.%L s',
        '  section ingest',
        `  ingest 120 ms :done, s0, ${t0}, ${t0 + 120}`,
        `  load files 20 ms :done, s1, ${t0}, ${t0 + 20}`,
        `  load files › read 5.3 ms :done, s2, ${t0 + 2}, ${t0 + 7}`,
        `  embed 100 ms :crit, s3, ${t0 + 20}, ${t0 + 120}`,
        '',
      ].join('\n'),
    );
  });

  it('gives instant spans a visible bar', () => {
    expect(traceToMermaid([span('1', 'noop', 5, 5)])).toContain('noop 0.0 ms :done, s0, 5, 6');
  });
});
