import type { Int8Quantized, KernelName, Nf4Tensor, TopkResult } from '../kernels/kernel-types.js';
import { NF4_BLOCK_SIZE, NF4_THRESHOLDS, nf4CodeAt } from '../kernels/nf4-format.js';
import type { Tensor } from '../tensor/tensor.js';
import { compareValue, isTensorLike, sameLayout } from './compare-outputs.js';
import type { AnyConformanceCase, Tolerance } from './conformance-types.js';
import { ErrorTally } from './error-tally.js';

const EXACT: Tolerance = { abs: 0, rel: 0 };

/**
 * Compares one kernel output with the reference. Integer codes (int8, NF4)
 * and top-k indices must match exactly, except where the input sits on a
 * rounding boundary or two scores tie: there, float evaluation order
 * legitimately decides, and either answer is right.
 */
export function compareKernelOutput(
  kernelCase: AnyConformanceCase,
  actual: unknown,
  expected: unknown,
  args: readonly unknown[],
  tolerance: Tolerance,
): ErrorTally {
  const tally = new ErrorTally();
  const kernel: KernelName = kernelCase.kernel;
  if (kernel === 'quantizeInt8') {
    compareInt8(tally, actual as Int8Quantized, expected as Int8Quantized, args[0] as Tensor, tolerance);
  } else if (kernel === 'quantizeNf4') {
    compareNf4(tally, actual as Nf4Tensor, expected as Nf4Tensor, args[0] as Tensor, tolerance);
  } else if (kernel === 'topkSimilarity') {
    compareTopk(tally, actual as TopkResult, expected as TopkResult, tolerance);
  } else {
    compareValue(tally, actual, expected, tolerance, kernelCase.fieldTolerance);
  }
  return tally;
}

/** Whether `value` lies within `margin` of a .5 rounding boundary. */
function nearHalf(value: number, margin: number): boolean {
  return Math.abs((Math.abs(value) % 1) - 0.5) <= margin;
}

function compareInt8(tally: ErrorTally, actual: Int8Quantized, expected: Int8Quantized, x: Tensor, tolerance: Tolerance): void {
  if (!isObject(tally, actual)) return;
  compareValue(tally, actual.scale, expected.scale, tolerance, {}, 'scale');
  if (!sameLayout(tally, 'q', actual.q, expected.q)) return;
  const cols = expected.q.shape[1] ?? 1;
  for (let i = 0; i < expected.q.size; i++) {
    const a = actual.q.data[i]!;
    const e = expected.q.data[i]!;
    const scale = expected.scale.data[Math.floor(i / cols)]!;
    if (a !== e && !(Math.abs(a - e) === 1 && nearHalf(x.data[i]! / scale, 1e-3))) tally.element('q', i, a, e, EXACT);
  }
}

function compareNf4(tally: ErrorTally, actual: Nf4Tensor, expected: Nf4Tensor, x: Tensor, tolerance: Tolerance): void {
  if (!isObject(tally, actual)) return;
  const { packed, absmaxQ, ...scalars } = expected;
  compareValue(tally, actual, scalars, tolerance, {
    blockSize: EXACT,
    absmaxBlockSize: EXACT,
  });
  const absmax = blockAbsmax(x);
  if (sameLayout(tally, 'absmaxQ', actual.absmaxQ, absmaxQ)) {
    for (let b = 0; b < absmaxQ.size; b++) {
      const a = actual.absmaxQ.data[b]!;
      const e = absmaxQ.data[b]!;
      const scale = expected.absmaxScale.data[Math.floor(b / expected.absmaxBlockSize)]!;
      const onBoundary = nearHalf((absmax[b]! - expected.absmaxMean) / scale, 1e-3);
      if (a !== e && !(Math.abs(a - e) === 1 && onBoundary)) tally.element('absmaxQ', b, a, e, EXACT);
    }
  }
  if (!sameLayout(tally, 'packed', actual.packed, packed)) return;
  for (let i = 0; i < x.size; i++) {
    const a = nf4CodeAt(actual.packed.data as Uint8Array, i);
    const e = nf4CodeAt(packed.data as Uint8Array, i);
    if (a === e) continue;
    const threshold = NF4_THRESHOLDS[Math.min(a, e)]!;
    const block = absmax[Math.floor(i / NF4_BLOCK_SIZE)]!;
    const onBoundary = Math.abs(a - e) === 1 && Math.abs(x.data[i]! / block - threshold) <= 1e-5;
    if (!onBoundary) tally.element('code', i, a, e, EXACT);
  }
}

function compareTopk(tally: ErrorTally, actual: TopkResult, expected: TopkResult, tolerance: Tolerance): void {
  if (!isObject(tally, actual)) return;
  compareValue(tally, actual.scores, expected.scores, tolerance, {}, 'scores');
  if (!sameLayout(tally, 'indices', actual.indices, expected.indices) || !isTensorLike(actual.scores)) return;
  for (let i = 0; i < expected.indices.size; i++) {
    const a = actual.indices.data[i]!;
    const e = expected.indices.data[i]!;
    const expectedScore = expected.scores.data[i]!;
    // A different index with the same score is a tie broken another way.
    const tie = Math.abs(Number(actual.scores.data[i]) - expectedScore) <= tolerance.abs + tolerance.rel * Math.abs(expectedScore);
    if (a !== e && !tie) tally.element('indices', i, a, e, EXACT);
  }
}

function blockAbsmax(x: Tensor): Float64Array {
  const out = new Float64Array(Math.ceil(x.size / NF4_BLOCK_SIZE));
  for (let i = 0; i < x.size; i++) {
    const b = Math.floor(i / NF4_BLOCK_SIZE);
    out[b] = Math.max(out[b]!, Math.abs(x.data[i]!));
  }
  return out;
}

function isObject(tally: ErrorTally, value: unknown): boolean {
  if (typeof value === 'object' && value !== null) return true;
  tally.fail(`output should be an object, got ${String(value)}`);
  return false;
}
