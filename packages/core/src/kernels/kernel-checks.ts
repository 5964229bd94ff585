import { FerryError } from '../errors/ferry-error.js';
import type { DType } from '../tensor/dtype.js';
import { formatShape, sameShape } from '../tensor/tensor-shape.js';
import { Tensor } from '../tensor/tensor.js';

/*
 * Entry checks shared by backends: each names the kernel and the argument,
 * so a bad call says which tensor was wrong and how.
 */

export function shapeError(kernel: string, field: string, message: string, hint: string): FerryError {
  return new FerryError('TENSOR_SHAPE', `${kernel}: ${message}`, { field, hint });
}

export function badInput(kernel: string, field: string, message: string, hint: string): FerryError {
  return new FerryError('KERNEL_BAD_INPUT', `${kernel}: ${message}`, { field, hint });
}

/** Asserts `value` is a Tensor of `dtype` whose rank is one of `ranks` (any rank when omitted). */
export function checkTensor<D extends DType>(
  kernel: string,
  field: string,
  value: unknown,
  dtype: D,
  ranks?: readonly number[],
): asserts value is Tensor<D> {
  if (!(value instanceof Tensor)) {
    throw badInput(kernel, field, `${field} must be a Tensor, got ${value === null ? 'null' : typeof value}`, `Pass a ${dtype} Tensor, e.g. tensor(data, shape).`);
  }
  if (value.dtype !== dtype) {
    throw badInput(kernel, field, `${field} must be ${dtype}, got ${value.dtype} with shape ${formatShape(value.shape)}`, `Convert ${field} to ${dtype} before the call.`);
  }
  if (ranks !== undefined && !ranks.includes(value.rank)) {
    const wanted = ranks.map((r) => `${r}-D`).join(' or ');
    throw shapeError(kernel, field, `${field} must be ${wanted}, got shape ${formatShape(value.shape)}`, `Reshape ${field} (a free view) to ${wanted}.`);
  }
}

export function checkShapeEquals(kernel: string, field: string, tensor: Tensor, expected: readonly number[], why: string): void {
  if (!sameShape(tensor.shape, expected)) {
    throw shapeError(
      kernel,
      field,
      `${field} has shape ${formatShape(tensor.shape)} but must be ${formatShape(expected)} (${why})`,
      `Pass ${field} with shape ${formatShape(expected)}.`,
    );
  }
}

/** The last dimension of a tensor of rank >= 1. */
export function lastDim(kernel: string, field: string, tensor: Tensor): number {
  const dim = tensor.shape[tensor.rank - 1];
  if (dim === undefined) {
    throw shapeError(kernel, field, `${field} is 0-d; this kernel works over the last dimension`, `Reshape ${field} to [1] or [rows, cols].`);
  }
  return dim;
}

export function checkNumber(
  kernel: string,
  field: string,
  value: number,
  rule: { integer?: boolean; min?: number; max?: number; above?: number; below?: number },
): void {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.max === undefined || value <= rule.max) &&
    (rule.above === undefined || value > rule.above) &&
    (rule.below === undefined || value < rule.below);
  if (!ok) {
    const bounds = [
      rule.integer ? 'a whole number' : 'a finite number',
      rule.min === undefined ? '' : `>= ${rule.min}`,
      rule.above === undefined ? '' : `> ${rule.above}`,
      rule.max === undefined ? '' : `<= ${rule.max}`,
      rule.below === undefined ? '' : `< ${rule.below}`,
    ].filter(Boolean);
    throw badInput(kernel, field, `${field} = ${String(value)} is invalid`, `Set ${field} to ${bounds.join(' ')}.`);
  }
}
