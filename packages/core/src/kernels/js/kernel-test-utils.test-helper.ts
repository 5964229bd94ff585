import { expect } from 'vitest';
import { isFerryError, type FerryError, type FerryErrorCode } from '../../errors/ferry-error.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * Central differences of a scalar loss wrt every element of `input`, in f64.
 * The step actually taken is what f32 can store, so rounding of the perturbed
 * input does not bias the estimate.
 */
export function numericGradient(loss: () => number, input: Tensor<'f32'>, h = 1e-2): Float64Array {
  const grad = new Float64Array(input.size);
  for (let i = 0; i < input.size; i++) {
    const original = input.data[i]!;
    const up = Math.fround(original + h);
    const down = Math.fround(original - h);
    input.data[i] = up;
    const lossUp = loss();
    input.data[i] = down;
    const lossDown = loss();
    input.data[i] = original;
    grad[i] = (lossUp - lossDown) / (up - down);
  }
  return grad;
}

/** sum(t * weights) in f64: a scalar loss whose gradient wrt t is `weights`. */
export function weightedSum(t: Tensor, weights: Tensor): number {
  let sum = 0;
  for (let i = 0; i < t.size; i++) sum += t.data[i]! * weights.data[i]!;
  return sum;
}

/** Max error relative to the largest numeric gradient entry; f32 kernels land well under 1e-2. */
export function expectGradientClose(analytic: Tensor, numeric: Float64Array, tolerance = 1e-2): void {
  expect(analytic.size).toBe(numeric.length);
  let scale = 1e-3;
  let worst = 0;
  for (let i = 0; i < numeric.length; i++) {
    scale = Math.max(scale, Math.abs(numeric[i]!));
    worst = Math.max(worst, Math.abs(analytic.data[i]! - numeric[i]!));
  }
  expect(worst / scale).toBeLessThan(tolerance);
}

/** Elementwise |actual - expected| <= abs + rel * |expected|. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, abs = 1e-5, rel = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= abs + rel * Math.abs(e))) {
      expect.fail(`element ${i}: got ${a}, expected ${e} (abs ${abs}, rel ${rel})`);
    }
  }
}

/** Runs fn, expects a FerryError with `code` whose field is `field` and whose message contains each snippet. */
export function expectFerryError(fn: () => unknown, code: FerryErrorCode, field: string, ...snippets: string[]): FerryError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  if (!isFerryError(thrown, code)) expect.fail(`expected FerryError ${code}, got ${String(thrown)}`);
  expect(thrown.field).toBe(field);
  for (const snippet of snippets) expect(thrown.message).toContain(snippet);
  expect(thrown.hint.length).toBeGreaterThan(0);
  return thrown;
}
