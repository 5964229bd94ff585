import { describe, expect, it } from 'vitest';
import { detectInjection } from './detect-injection.js';
import { HELD_OUT_CASES, INJECTION_CASES } from './injection-cases.js';
import type { InjectionCase } from './injection-cases.js';

/** Precision, recall and false-positive rate of "flag or block" against the labels. */
function measure(label: string, cases: readonly InjectionCase[]): { precision: number; recall: number; falsePositiveRate: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const errors: string[] = [];
  for (const c of cases) {
    const hit = detectInjection(c.text, c.source ? { source: c.source } : {}).verdict !== 'allow';
    if (hit && c.attack) tp++;
    else if (hit) {
      fp++;
      errors.push(`  false positive: ${c.text}`);
    } else if (c.attack) {
      fn++;
      errors.push(`  missed: ${c.text}`);
    }
  }
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  const attacks = cases.filter((c) => c.attack).length;
  const falsePositiveRate = fp / (cases.length - attacks);
  console.log(
    `${label}: ${attacks} attacks, ${cases.length - attacks} benign; precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}, false-positive rate ${falsePositiveRate.toFixed(3)}\n${errors.join('\n')}`,
  );
  return { precision, recall, falsePositiveRate };
}

// Thresholds sit a little below the measured figures, so a regression fails and noise does not.
describe('detectInjection on the labelled evaluation sets', () => {
  it('development set: the one the rules were measured and corrected against', () => {
    expect(INJECTION_CASES.filter((c) => c.attack).length).toBeGreaterThanOrEqual(60);
    expect(INJECTION_CASES.filter((c) => !c.attack).length).toBeGreaterThanOrEqual(60);
    const { precision, recall, falsePositiveRate } = measure('development set', INJECTION_CASES);
    expect(precision).toBeGreaterThanOrEqual(0.97);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(falsePositiveRate).toBeLessThanOrEqual(0.03);
  });

  it('held-out set: never used to change the rules', () => {
    const { precision, recall, falsePositiveRate } = measure('held-out set', HELD_OUT_CASES);
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.9);
    expect(falsePositiveRate).toBeLessThanOrEqual(0.05);
  });
});
