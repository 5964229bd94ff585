import { describe, expect, it } from 'vitest';
import { accuracy, confusionMatrix, labelMetrics, macroF1, percentile, weightedF1 } from './classification-metrics.js';

// Hand-computed case: labels a, b, c; 10 examples, one unparsed prediction.
//           pred a  pred b  pred c  none
// true a       3       1       0      0    support 4
// true b       1       2       0      1    support 4
// true c       0       1       1      0    support 2
const labels = ['a', 'b', 'c'];
const truth = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'c', 'c'];
const predicted = ['a', 'a', 'a', 'b', 'a', 'b', 'b', undefined, 'b', 'c'];

describe('classification metrics', () => {
  const confusion = confusionMatrix(labels, truth, predicted);

  it('counts the confusion matrix, unparsed predictions apart', () => {
    expect(confusion.matrix).toEqual([
      [3, 1, 0],
      [1, 2, 0],
      [0, 1, 1],
    ]);
    expect(confusion.unlabelled).toEqual([0, 1, 0]);
  });

  it('computes accuracy over all examples, unparsed counting as wrong', () => {
    expect(accuracy(confusion)).toBeCloseTo(6 / 10, 12);
  });

  it('computes per-label precision, recall and F1 by hand', () => {
    const [a, b, c] = labelMetrics(confusion);
    // a: P = 3/4, R = 3/4, F1 = 0.75
    expect(a).toMatchObject({ label: 'a', support: 4 });
    expect(a?.precision).toBeCloseTo(0.75, 12);
    expect(a?.f1).toBeCloseTo(0.75, 12);
    // b: P = 2/4, R = 2/4, F1 = 0.5
    expect(b?.precision).toBeCloseTo(0.5, 12);
    expect(b?.recall).toBeCloseTo(0.5, 12);
    expect(b?.f1).toBeCloseTo(0.5, 12);
    // c: P = 1/1, R = 1/2, F1 = 2/3
    expect(c?.precision).toBeCloseTo(1, 12);
    expect(c?.recall).toBeCloseTo(0.5, 12);
    expect(c?.f1).toBeCloseTo(2 / 3, 12);
  });

  it('averages F1 unweighted (macro) and by support (weighted)', () => {
    expect(macroF1(confusion)).toBeCloseTo((0.75 + 0.5 + 2 / 3) / 3, 12);
    expect(weightedF1(confusion)).toBeCloseTo((0.75 * 4 + 0.5 * 4 + (2 / 3) * 2) / 10, 12);
  });

  it('scores a never-predicted label 0 rather than NaN', () => {
    const allA = confusionMatrix(['a', 'b'], ['a', 'b'], ['a', 'a']);
    // a: P = 1/2, R = 1, F1 = 2/3; b: nothing predicted, F1 = 0
    expect(macroF1(allA)).toBeCloseTo(1 / 3, 12);
  });

  it('rejects a true label outside the label list', () => {
    expect(() => confusionMatrix(['a'], ['z'], ['a'])).toThrow(/"z"/);
  });

  it('takes nearest-rank percentiles', () => {
    const values = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(values, 95)).toBe(10);
    expect(percentile(values, 50)).toBe(5);
    expect(percentile([], 95)).toBe(0);
  });
});
