import type { Tolerance } from './conformance-types.js';

/**
 * Accumulates the comparison of one kernel output: error maxima for the
 * report, and the single most useful failure message (a structural mismatch,
 * else the element furthest outside its tolerance).
 */
export class ErrorTally {
  maxAbsErr = 0;
  maxRelErr = 0;
  private structural: string | undefined;
  private outside = 0;
  private worst: { excess: number; message: string } | undefined;

  /** A mismatch that makes elementwise comparison meaningless (type, dtype, shape). */
  fail(message: string): void {
    this.structural ??= message;
  }

  element(path: string, index: number, actual: number, expected: number, tolerance: Tolerance): void {
    if (Object.is(actual, expected) || (Number.isNaN(actual) && Number.isNaN(expected))) return;
    const diff = Math.abs(actual - expected);
    const error = Number.isNaN(diff) ? Infinity : diff;
    this.maxAbsErr = Math.max(this.maxAbsErr, error);
    if (Math.abs(expected) > tolerance.abs) this.maxRelErr = Math.max(this.maxRelErr, error / Math.abs(expected));
    const allowed = tolerance.abs + tolerance.rel * Math.abs(expected);
    if (error <= allowed) return;
    this.outside++;
    const excess = allowed === 0 ? Infinity : error / allowed;
    if (this.worst === undefined || excess > this.worst.excess) {
      this.worst = { excess, message: `${path || 'output'}[${index}]: got ${actual}, expected ${expected}` };
    }
  }

  get error(): string | undefined {
    if (this.structural !== undefined) return this.structural;
    if (this.worst === undefined) return undefined;
    return `${this.outside} element${this.outside === 1 ? '' : 's'} outside tolerance; worst ${this.worst.message}`;
  }
}
