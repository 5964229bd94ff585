import { describe, expect, it } from 'vitest';
import type { PipelineEvent } from './progress.js';
import { renderProgress } from './render-progress.js';

const base = { pipeline: 'ingest', runId: 'r', at: 0 };
const events: PipelineEvent[] = [
  { type: 'start', ...base },
  { type: 'start', ...base, step: 'embed', index: 1, steps: 3 },
  { type: 'progress', ...base, step: 'embed', current: 3, total: 12, message: 'a.md' },
  { type: 'end', ...base, step: 'embed', durationMs: 1500 },
  { type: 'start', ...base, step: 'store', index: 2, steps: 3 },
  { type: 'error', ...base, step: 'store', durationMs: 12, error: { message: '[X] disk full\n  Fix: free space', code: 'X' } },
  { type: 'error', ...base, durationMs: 1600, error: { message: 'disk full' } },
];

function capture(isTTY: boolean) {
  let text = '';
  return { stream: { isTTY, write: (chunk: string) => (text += chunk) }, text: () => text };
}

describe('renderProgress', () => {
  it('writes one JSON line per event off a terminal', () => {
    const out = capture(false);
    const listener = renderProgress(out.stream);
    for (const event of events) listener(event);
    const lines = out.text().trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as PipelineEvent)).toEqual(events);
  });

  it('draws a bar on a terminal and leaves one line per finished step', () => {
    const out = capture(true);
    const listener = renderProgress(out.stream);
    for (const event of events) listener(event);
    const text = out.text();
    expect(text).toContain('[2/3] embed [######------------------] 3/12 a.md');
    const lines = text.split('\n').map((line) => line.split('\r').at(-1)?.replace('\x1b[2K', ''));
    expect(lines).toEqual(['[2/3] embed ✓ 1.5 s', '[3/3] store ✗ [X] disk full', 'ingest failed after 1.6 s', '']);
  });
});
