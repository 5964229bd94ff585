import { describe, expect, it } from 'vitest';
import { promptFormatSchema } from '../data/prompt-format.js';
import { ByteTokenizer } from '../data/tokenizer.js';
import { classificationReport, confusionMatrixText, formatClassificationReport } from './classification-report.js';
import { confusionMatrixSvg } from './confusion-matrix-svg.js';
import { predictionReviewSample, reviewSampleMarkdown } from './review-sample.js';
import { classifyByLabelScores, type ContinuationScorer } from './score-labels.js';

const labels = ['negative', 'positive', 'neutral'];
const tokenizer = new ByteTokenizer();
const format = promptFormatSchema.parse({ kind: 'instruction', instruction: 'Sentiment of the tweet?' });

/**
 * Stands in for the model until @ferry/llama is wired up: a log-likelihood
 * that favours "positive" after "up", "negative" after "down", else "neutral".
 * It sees only token ids, as the real scorer will.
 */
const keywordScorer: ContinuationScorer = async (prompt, continuation) => {
  const text = tokenizer.decode(prompt);
  const answer = tokenizer.decode(continuation);
  const cue = /\bup\b/.test(text) ? 'positive' : /\bdown\b/.test(text) ? 'negative' : 'neutral';
  expect(continuation[continuation.length - 1]).toBe(tokenizer.eosTokenId);
  return answer === cue ? -1 : -3 - answer.length / 10;
};

describe('classifyByLabelScores', () => {
  it("predicts the label whose continuation scores highest, with each label's score and probability", async () => {
    const predictions = await classifyByLabelScores(
      [
        { text: 'shares up 5%', label: 'positive', line: 2 },
        { text: 'guidance down', label: 'positive', line: 3 },
        { text: 'earnings call at 5pm', label: 'neutral', line: 4 },
      ],
      { labels, tokenizer, format, score: keywordScorer },
    );
    expect(predictions.map((p) => [p.gold, p.predicted])).toEqual([
      ['positive', 'positive'],
      ['positive', 'negative'],
      ['neutral', 'neutral'],
    ]);
    expect(predictions[0]!.text).toBe('shares up 5%');
    expect(predictions[0]!.scores).toEqual({ negative: -3.8, positive: -1, neutral: -3.7 });
    expect(Object.values(predictions[0]!.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(predictions[0]!.probabilities.positive).toBeGreaterThan(0.8);
    const mean = await classifyByLabelScores([{ text: 'shares up', label: 'positive' }], { labels, tokenizer, format, score: keywordScorer, normalize: 'mean' });
    expect(mean[0]!.scores.positive).toBeCloseTo(-1 / 9, 12);
    await expect(classifyByLabelScores([{ text: 'x', label: '2' }], { labels, tokenizer, format, score: keywordScorer })).rejects.toThrow(/gold label "2"/);
  });
});

describe('classification report', () => {
  // Per class (precision, recall): negative (2/3, 2/3), positive (1/2, 1/3), neutral (3/5, 3/4).
  const gold = ['negative', 'negative', 'negative', 'positive', 'positive', 'positive', 'neutral', 'neutral', 'neutral', 'neutral'];
  const predicted = ['negative', 'negative', 'neutral', 'positive', 'neutral', 'negative', 'neutral', 'neutral', 'neutral', 'positive'];

  it('gives accuracy, macro / weighted F1, per-class metrics and the majority baseline', () => {
    const report = classificationReport(labels, gold, predicted);
    expect(report.accuracy).toBeCloseTo(0.6, 12);
    const f1 = (p: number, r: number): number => (2 * p * r) / (p + r);
    const perClass = [f1(2 / 3, 2 / 3), f1(1 / 2, 1 / 3), f1(3 / 5, 3 / 4)];
    expect(report.perClass.map((m) => m.f1)).toEqual(perClass.map((v) => expect.closeTo(v, 12)));
    expect(report.macroF1).toBeCloseTo((perClass[0]! + perClass[1]! + perClass[2]!) / 3, 12);
    expect(report.weightedF1).toBeCloseTo((3 * perClass[0]! + 3 * perClass[1]! + 4 * perClass[2]!) / 10, 12);
    expect(report.majorityBaseline).toMatchObject({ label: 'neutral', accuracy: 0.4 });
    expect(report.majorityBaseline.weightedF1).toBeCloseTo(0.4 * f1(0.4, 1), 12);
    const text = formatClassificationReport(report);
    expect(text).toMatch(/negative\s+0\.6667\s+0\.6667\s+0\.6667\s+3/);
    expect(text).toMatch(/accuracy\s+0\.6000\s+10/);
    expect(text).toContain('majority baseline (always "neutral"): accuracy 0.4000');
  });

  it('draws the confusion matrix as a table and as an SVG', () => {
    const { confusion } = classificationReport(labels, gold, predicted);
    expect(confusionMatrixText(confusion)).toBe(
      [
        'gold \\ predicted    negative  positive   neutral',
        'negative                   2         0         1',
        'positive                   1         1         1',
        'neutral                    0         1         3',
        '',
      ].join('\n'),
    );
    const svg = confusionMatrixSvg(confusion);
    expect(svg).toMatch(/^<svg xmlns/);
    expect(svg.match(/<rect x=/g)).toHaveLength(9);
    expect(svg).toContain('>75.0%</text>');
  });
});

describe('predictionReviewSample', () => {
  it('keeps text, gold and predicted labels in their own fields, errors first', async () => {
    const predictions = await classifyByLabelScores(
      ['shares up', 'down again', 'flat day', 'up up', 'meeting today', 'sales down'].map((text, i) => ({ text, label: i === 1 ? 'positive' : i % 2 ? 'neutral' : 'negative', line: i + 2 })),
      { labels, tokenizer, format, score: keywordScorer },
    );
    const sample = predictionReviewSample(predictions, { size: 4, seed: 1 });
    expect(sample).toHaveLength(4);
    expect(sample.filter((r) => !r.correct).length).toBeGreaterThanOrEqual(2);
    for (const row of sample) {
      const source = predictions.find((p) => p.line === row.line)!;
      expect(row).toMatchObject({ text: source.text, gold: source.gold, predicted: source.predicted, correct: source.gold === source.predicted });
      expect(labels).toContain(row.gold);
      expect(labels).toContain(row.predicted);
      expect(Object.keys(row.probabilities)).toEqual(labels);
    }
    expect(predictionReviewSample(predictions, { size: 4, seed: 1 })).toEqual(sample);
    const markdown = reviewSampleMarkdown(sample, labels);
    expect(markdown.split('\n')[0]).toBe('| line | text | gold | predicted | ok | p(negative) | p(positive) | p(neutral) |');
    expect(markdown.split('\n')).toHaveLength(4 + 3);
  });
});
