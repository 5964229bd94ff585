import { describe, expect, it } from 'vitest';
import { isFerryError } from '../../errors/ferry-error.js';
import { CentroidClassifier } from './centroid-classifier.js';
import { loadBanking77 } from '../../testing/shared-data.js';

const tiny = [
  { text: 'I lost my card', label: 'lost_card' },
  { text: 'my card was stolen yesterday', label: 'lost_card' },
  { text: 'where is my refund', label: 'refund' },
  { text: 'I want my money back', label: 'refund' },
];

describe('CentroidClassifier', () => {
  it('learns from fit() and ranks every label, scores summing to 1', async () => {
    const classifier = new CentroidClassifier();
    await classifier.fit(tiny);
    expect(classifier.labels).toEqual(['lost_card', 'refund']);
    const [lost, refund] = await classifier.classify(['someone stole my card', 'please refund my money']);
    expect(lost?.label).toBe('lost_card');
    expect(refund?.label).toBe('refund');
    expect(lost?.ranking.map((r) => r.label)).toEqual(['lost_card', 'refund']);
    expect(lost?.ranking.reduce((sum, r) => sum + r.score, 0)).toBeCloseTo(1, 6);
    expect(lost?.score).toBe(lost?.ranking[0]?.score);
  });

  it('trains from the examples option, and a lower temperature is more confident', async () => {
    const [cool] = await new CentroidClassifier({ examples: tiny, temperature: 0.01 }).classify(['card stolen']);
    const [warm] = await new CentroidClassifier({ examples: tiny, temperature: 1 }).classify(['card stolen']);
    expect(cool?.label).toBe('lost_card');
    expect(warm?.label).toBe('lost_card');
    expect(cool?.score).toBeGreaterThan(warm?.score as number);
  });

  it('refuses to classify before training, saying how to train', async () => {
    await expect(new CentroidClassifier().classify(['hi'])).rejects.toMatchObject({ code: 'INPUT_INVALID', hint: expect.stringContaining('fit(') });
  });

  it('names the failing example row and field', async () => {
    const bad = [...tiny.slice(0, 3), { text: 'no label here', label: '' }];
    await expect(new CentroidClassifier().fit(bad)).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'examples[3].label' });
    try {
      new CentroidClassifier({ examples: [{ text: 'a', label: 'x' }, { label: 'y' }] as never });
      expect.unreachable();
    } catch (error) {
      expect(isFerryError(error, 'INPUT_INVALID')).toBe(true);
      expect((error as { field: string }).field).toBe('options.examples[1].text');
    }
    expect(() => new CentroidClassifier({ temperature: 0 })).toThrow(/options\.temperature/);
  });

  it('reaches well above chance on BANKING77 (77 intents)', async () => {
    const started = performance.now();
    const classifier = new CentroidClassifier({ examples: loadBanking77('train') });
    const test = loadBanking77('test');
    const results = await classifier.classify(test.map((row) => row.text));
    const accuracy = results.filter((result, i) => result.label === test[i]?.label).length / test.length;
    const confidence = results.reduce((sum, result) => sum + result.score, 0) / results.length;
    console.log(
      `BANKING77 centroid: accuracy ${(100 * accuracy).toFixed(1)}% on ${test.length} test rows (chance 1.3%), mean top score ${confidence.toFixed(2)}, ${Math.round(performance.now() - started)} ms`,
    );
    expect(classifier.labels).toHaveLength(77);
    // Measured 78.1%; the default temperature keeps mean confidence near accuracy (0.79).
    expect(accuracy).toBeGreaterThan(0.75);
    expect(Math.abs(confidence - accuracy)).toBeLessThan(0.08);
  });
});
