import type { PipelineEvent, PipelineEventListener } from './progress.js';

export interface ProgressStream {
  readonly isTTY?: boolean;
  write(chunk: string): unknown;
}

const BAR_WIDTH = 24;

/**
 * An `onEvent` listener that draws a progress bar on a terminal and writes
 * one JSON line per event anywhere else (CI logs, pipes), where a bar is noise.
 */
export function renderProgress(stream: ProgressStream = process.stderr): PipelineEventListener {
  if (!stream.isTTY) {
    return (event) => {
      stream.write(`${JSON.stringify(event)}\n`);
    };
  }
  let label = '';
  return (event) => {
    if (event.step === undefined) {
      if (event.type === 'end') stream.write(`${event.pipeline} done in ${formatMs(event.durationMs)}\n`);
      if (event.type === 'error') stream.write(`${event.pipeline} failed after ${formatMs(event.durationMs)}\n`);
      return;
    }
    if (event.type === 'start') label = event.index === undefined ? event.step : `[${event.index + 1}/${event.steps}] ${event.step}`;
    // Carriage return + erase line redraws the current step in place; a finished step keeps its line.
    stream.write(`\r\x1b[2K${label}${status(event)}`);
  };
}

function status(event: PipelineEvent): string {
  switch (event.type) {
    case 'start':
      return '';
    case 'progress':
      return ` ${bar(event.current, event.total)}${event.message ? ` ${event.message}` : ''}`;
    case 'end':
      return ` ✓ ${formatMs(event.durationMs)}\n`;
    case 'error':
      return ` ✗ ${event.error.message.split('\n')[0]}\n`;
  }
}

function bar(current: number, total: number | undefined): string {
  if (total === undefined || total <= 0) return String(current);
  const filled = Math.round((Math.min(current, total) / total) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${current}/${total}`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
