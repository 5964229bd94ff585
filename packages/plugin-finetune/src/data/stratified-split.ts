import { finetuneError } from '../finetune-error.js';
import { TrainingRng } from '../train/training-rng.js';

/**
 * Splits items so each label keeps its share in both parts: per label,
 * a seeded shuffle, then round(count * validationFraction) go to validation.
 * Both parts keep the original order of the items.
 */
export function stratifiedSplit<T>(items: readonly T[], labelOf: (item: T) => string, options: { validationFraction: number; seed: number }): { train: T[]; validation: T[] } {
  const { validationFraction, seed } = options;
  if (!(validationFraction > 0 && validationFraction < 1)) {
    throw finetuneError('validationFraction', `validationFraction must be between 0 and 1, got ${validationFraction}`, 'Use e.g. 0.1 for a 90/10 split.');
  }
  const rng = new TrainingRng(seed);
  const byLabel = new Map<string, number[]>();
  items.forEach((item, index) => {
    const label = labelOf(item);
    const list = byLabel.get(label);
    if (list === undefined) byLabel.set(label, [index]);
    else list.push(index);
  });
  const validation = new Set<number>();
  for (const label of [...byLabel.keys()].sort()) {
    const indices = rng.shuffle([...byLabel.get(label)!]);
    for (const index of indices.slice(0, Math.round(indices.length * validationFraction))) validation.add(index);
  }
  return {
    train: items.filter((_, i) => !validation.has(i)),
    validation: items.filter((_, i) => validation.has(i)),
  };
}
