import { writeFileAtomic } from '@ferry/core';
import { lineChartSvg } from '../plot/line-chart-svg.js';
import type { TrainingHistory } from './training-history.js';

/** Train and eval loss against optimizer step, as an SVG document. */
export function lossCurveSvg(history: TrainingHistory, title = 'Loss'): string {
  return lineChartSvg(
    [
      { name: 'train loss', color: '#1f77b4', points: history.train.map((r) => [r.step, r.loss] as const) },
      { name: 'eval loss', color: '#d62728', points: history.eval.map((r) => [r.step, r.loss] as const) },
    ],
    { title, xLabel: 'step', yLabel: 'loss' },
  );
}

export async function writeLossCurve(path: string, history: TrainingHistory, title?: string): Promise<void> {
  await writeFileAtomic(path, lossCurveSvg(history, title));
}
