import { TrainingRng } from '../train/training-rng.js';
import type { LabelPrediction } from './score-labels.js';

/** One prediction laid out for a person to check. */
export interface ReviewRow {
  line?: number;
  /** The input text, never a label. */
  text: string;
  gold: string;
  predicted: string;
  correct: boolean;
  /** Model probability of each label (softmax over label scores), rounded to 4 places. */
  probabilities: Record<string, number>;
  /** Raw log-likelihood of each label's continuation. */
  scores: Record<string, number>;
}

/**
 * A seeded sample of predictions for human review: up to `size` rows, half
 * of them errors when there are enough (errors teach the most), the rest
 * correct ones, each with text, gold and predicted label names and the
 * score of every label.
 */
export function predictionReviewSample(predictions: readonly LabelPrediction[], options: { size: number; seed: number }): ReviewRow[] {
  const rng = new TrainingRng(options.seed);
  const wrong = rng.shuffle(predictions.filter((p) => p.predicted !== p.gold));
  const right = rng.shuffle(predictions.filter((p) => p.predicted === p.gold));
  const errors = Math.min(wrong.length, Math.max(options.size - right.length, Math.ceil(options.size / 2)));
  const chosen = [...wrong.slice(0, errors), ...right.slice(0, options.size - errors)];
  return chosen.map((p) => ({
    ...(p.line === undefined ? {} : { line: p.line }),
    text: p.text,
    gold: p.gold,
    predicted: p.predicted,
    correct: p.predicted === p.gold,
    probabilities: Object.fromEntries(Object.entries(p.probabilities).map(([label, v]) => [label, Math.round(v * 1e4) / 1e4])),
    scores: p.scores,
  }));
}

/** The review sample as a Markdown table (text escaped for table cells). */
export function reviewSampleMarkdown(rows: readonly ReviewRow[], labels: readonly string[]): string {
  const escape = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const head = ['line', 'text', 'gold', 'predicted', 'ok', ...labels.map((l) => `p(${l})`)];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows) {
    const cells = [r.line === undefined ? '' : String(r.line), escape(r.text), r.gold, r.predicted, r.correct ? 'yes' : 'no', ...labels.map((l) => (r.probabilities[l] ?? 0).toFixed(4))];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}
