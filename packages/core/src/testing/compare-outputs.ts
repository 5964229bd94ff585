import { formatShape, sameShape } from '../tensor/tensor-shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Tolerance } from './conformance-types.js';
import type { ErrorTally } from './error-tally.js';

/** Structural check that `value` is a tensor (of any copy of @ferry/core). */
export function isTensorLike(value: unknown): value is Tensor {
  const t = value as Tensor | null;
  return typeof t === 'object' && t !== null && typeof t.dtype === 'string' && Array.isArray(t.shape) && ArrayBuffer.isView(t.data);
}

/** Checks dtype and shape; returns false (after recording why) when elements cannot be compared. */
export function sameLayout(tally: ErrorTally, path: string, actual: unknown, expected: Tensor): actual is Tensor {
  const where = path || 'output';
  if (!isTensorLike(actual)) {
    tally.fail(`${where} should be a Tensor, got ${describeValue(actual)}`);
    return false;
  }
  if (actual.dtype !== expected.dtype) {
    tally.fail(`${where} has dtype ${actual.dtype}, expected ${expected.dtype}`);
    return false;
  }
  if (!sameShape(actual.shape, expected.shape) || actual.data.length !== expected.size) {
    tally.fail(`${where} has shape ${formatShape(actual.shape)}, expected ${formatShape(expected.shape)}`);
    return false;
  }
  return true;
}

/**
 * Walks the expected output: tensors and numbers are compared within
 * tolerance (a field's own tolerance when `fieldTolerance` names it), plain
 * arrays (shapes) must be equal, objects are compared key by key.
 */
export function compareValue(
  tally: ErrorTally,
  actual: unknown,
  expected: unknown,
  tolerance: Tolerance,
  fieldTolerance: Readonly<Record<string, Tolerance>> = {},
  path = '',
): void {
  const own = fieldTolerance[path] ?? tolerance;
  if (isTensorLike(expected)) {
    if (!sameLayout(tally, path, actual, expected)) return;
    for (let i = 0; i < expected.size; i++) tally.element(path, i, Number(actual.data[i]), Number(expected.data[i]), own);
  } else if (typeof expected === 'number') {
    if (typeof actual !== 'number') tally.fail(`${path || 'output'} should be a number, got ${describeValue(actual)}`);
    else tally.element(path, 0, actual, expected, own);
  } else if (Array.isArray(expected)) {
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      tally.fail(`${path || 'output'} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
    }
  } else if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null) {
      tally.fail(`${path || 'output'} should be an object with ${Object.keys(expected).join(', ')}, got ${describeValue(actual)}`);
      return;
    }
    for (const [key, value] of Object.entries(expected)) {
      compareValue(tally, (actual as Record<string, unknown>)[key], value, tolerance, fieldTolerance, path ? `${path}.${key}` : key);
    }
  } else if (!Object.is(actual, expected)) {
    tally.fail(`${path || 'output'} is ${describeValue(actual)}, expected ${describeValue(expected)}`);
  }
}

export function describeValue(value: unknown): string {
  if (isTensorLike(value)) return `Tensor(${value.dtype}, ${formatShape(value.shape)})`;
  if (value === null || typeof value !== 'object') return String(value);
  return value.constructor?.name ?? 'an object';
}
