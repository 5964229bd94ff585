import { FerryError } from '../errors/ferry-error.js';
import {
  allocate,
  dtypeOfArray,
  integerRange,
  type AnyTypedArray,
  type DType,
  type DTypeOf,
  type TypedArrayOf,
} from './dtype.js';
import { checkShape, contiguousStrides, formatShape, shapeSize } from './tensor-shape.js';

export type NestedNumbers = number | NestedNumbers[];

/**
 * A dense, contiguous, row-major n-d array over one typed array. Views
 * (`reshape`, `slice`) share storage with their source, so writing through
 * one is visible through the other. There is no autograd: backward passes are
 * explicit kernels.
 */
export class Tensor<D extends DType = DType> {
  readonly dtype: D;
  readonly data: TypedArrayOf<D>;
  readonly shape: readonly number[];
  /** Row-major strides, in elements. */
  readonly strides: readonly number[];
  /** Number of elements. */
  readonly size: number;

  constructor(dtype: D, data: TypedArrayOf<D>, shape: readonly number[]) {
    checkShape(shape, 'shape');
    if (dtypeOfArray(data) !== dtype) {
      throw new FerryError('INPUT_INVALID', `a ${dtype} tensor needs a ${arrayName(dtype)}, got ${describe(data)}`, {
        field: 'data',
        hint: `Pass a ${arrayName(dtype)}, or use Tensor.from(numbers, shape, '${dtype}') to convert.`,
      });
    }
    const size = shapeSize(shape);
    if (data.length !== size) {
      throw new FerryError('TENSOR_SHAPE', `shape ${formatShape(shape)} holds ${size} elements but data has ${data.length}`, {
        field: 'shape',
        hint: 'Make the product of the shape equal the data length.',
      });
    }
    this.dtype = dtype;
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze(contiguousStrides(shape));
    this.size = size;
  }

  static zeros<D extends DType = 'f32'>(shape: readonly number[], dtype?: D): Tensor<D> {
    checkShape(shape, 'shape');
    const type = (dtype ?? 'f32') as D;
    return new Tensor(type, allocate(type, shapeSize(shape)), shape);
  }

  /**
   * Wraps a typed array without copying (its dtype follows the array type),
   * or copies a number array into a new one of `dtype` (default f32).
   * `shape` defaults to 1-D.
   */
  static from<A extends AnyTypedArray>(data: A, shape?: readonly number[]): Tensor<DTypeOf<A>>;
  static from<D extends DType = 'f32'>(data: readonly number[], shape?: readonly number[], dtype?: D): Tensor<D>;
  static from(data: AnyTypedArray | readonly number[], shape?: readonly number[], dtype?: DType): Tensor {
    const dims = shape ?? [data.length];
    if (!Array.isArray(data)) {
      const own = dtypeOfArray(data as AnyTypedArray);
      if (own === undefined) {
        throw new FerryError('INPUT_INVALID', `cannot make a tensor from ${describe(data)}`, {
          field: 'data',
          hint: 'Pass a number array, Float32Array, Int32Array, Int8Array or Uint8Array.',
        });
      }
      return new Tensor(own, data as AnyTypedArray, dims);
    }
    const type = dtype ?? 'f32';
    checkValues(data, type);
    const storage = allocate(type, data.length);
    storage.set(data);
    return new Tensor(type, storage, dims);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Same storage under a new shape; one dimension may be -1 (inferred). */
  reshape(shape: readonly number[]): Tensor<D> {
    return new Tensor(this.dtype, this.data, this.resolveShape(shape));
  }

  /** Same as `reshape`: storage is always contiguous, so a view never needs a copy. */
  view(shape: readonly number[]): Tensor<D> {
    return this.reshape(shape);
  }

  /** Rows `start` (inclusive) to `end` (exclusive) along dim 0, sharing storage. */
  slice(start: number, end: number = this.shape[0] ?? 0): Tensor<D> {
    const rows = this.shape[0];
    if (rows === undefined) {
      throw new FerryError('TENSOR_SHAPE', 'cannot slice a 0-d tensor', {
        field: 'start',
        hint: 'Reshape it to [1] first, or read it with item().',
      });
    }
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > rows || start > end) {
      throw new FerryError('TENSOR_SHAPE', `slice(${start}, ${end}) is outside dim 0 of a tensor of shape ${formatShape(this.shape)}`, {
        field: start < 0 || start > end || !Number.isInteger(start) ? 'start' : 'end',
        hint: `Use whole numbers with 0 <= start <= end <= ${rows}.`,
      });
    }
    const row = this.strides[0] ?? 1;
    const data = this.data.subarray(start * row, end * row) as TypedArrayOf<D>;
    return new Tensor(this.dtype, data, [end - start, ...this.shape.slice(1)]);
  }

  /** A copy with its own storage. */
  clone(): Tensor<D> {
    return new Tensor(this.dtype, this.data.slice() as TypedArrayOf<D>, this.shape);
  }

  /** Nested arrays following the shape (a number for a 0-d tensor). */
  toArray(): NestedNumbers {
    const build = (dim: number, offset: number): NestedNumbers => {
      if (dim === this.shape.length) return this.data[offset] ?? 0;
      const out: NestedNumbers[] = [];
      const stride = this.strides[dim] ?? 1;
      for (let i = 0; i < (this.shape[dim] ?? 0); i++) out.push(build(dim + 1, offset + i * stride));
      return out;
    };
    return build(0, 0);
  }

  /** The value of a one-element tensor. */
  item(): number {
    const value = this.data[0];
    if (this.size !== 1 || value === undefined) {
      throw new FerryError('TENSOR_SHAPE', `item() needs exactly one element, this tensor has shape ${formatShape(this.shape)}`, {
        field: 'this',
        hint: 'Reduce or slice the tensor to a single element first, or use toArray().',
      });
    }
    return value;
  }

  toString(): string {
    return `Tensor(${this.dtype}, ${formatShape(this.shape)})`;
  }

  private resolveShape(shape: readonly number[]): number[] {
    const inferred = shape.filter((dim) => dim === -1).length;
    const known = shape.filter((dim) => dim !== -1);
    checkShape(known, 'shape');
    const knownSize = shapeSize(known);
    const resolved = [...shape];
    if (inferred === 1 && knownSize > 0 && this.size % knownSize === 0) {
      resolved[shape.indexOf(-1)] = this.size / knownSize;
    }
    if (inferred > 1 || resolved.includes(-1) || shapeSize(resolved) !== this.size) {
      throw new FerryError('TENSOR_SHAPE', `cannot view a tensor of shape ${formatShape(this.shape)} (${this.size} elements) as ${formatShape(shape)}`, {
        field: 'shape',
        hint: `Pick a shape whose product is ${this.size}; at most one dimension may be -1.`,
      });
    }
    return resolved;
  }
}

/**
 * Convenience constructor: nested number arrays (shape inferred), flat number
 * arrays with a shape, or typed arrays (wrapped, not copied).
 */
export function tensor<A extends AnyTypedArray>(data: A, shape?: readonly number[]): Tensor<DTypeOf<A>>;
export function tensor<D extends DType = 'f32'>(data: NestedNumbers, shape?: readonly number[], dtype?: D): Tensor<D>;
export function tensor(data: AnyTypedArray | NestedNumbers, shape?: readonly number[], dtype?: DType): Tensor {
  if (typeof data === 'number') return Tensor.from([data], shape ?? [], dtype);
  if (!Array.isArray(data)) return Tensor.from(data, shape);
  const inferred = inferShape(data);
  const flat: number[] = [];
  const collect = (node: NestedNumbers): void => {
    if (Array.isArray(node)) for (const child of node) collect(child);
    else flat.push(node);
  };
  collect(data);
  return Tensor.from(flat, shape ?? inferred, dtype);
}

function inferShape(data: NestedNumbers[]): number[] {
  const shape: number[] = [];
  let level: NestedNumbers = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0] ?? 0;
  }
  const check = (node: NestedNumbers, dim: number): void => {
    if (dim === shape.length ? Array.isArray(node) : !Array.isArray(node) || node.length !== shape[dim]) {
      throw new FerryError('TENSOR_SHAPE', `nested array is ragged: expected every level to match shape ${formatShape(shape)}`, {
        field: 'data',
        hint: 'Give every row the same length, or pass a flat array with an explicit shape.',
      });
    }
    if (Array.isArray(node)) for (const child of node) check(child, dim + 1);
  };
  check(data, 0);
  return shape;
}

function checkValues(values: readonly number[], dtype: DType): void {
  const range = integerRange(dtype);
  const bad = values.findIndex((v) =>
    typeof v !== 'number' || (range !== undefined && (!Number.isInteger(v) || v < range[0] || v > range[1])),
  );
  if (bad >= 0) {
    throw new FerryError('INPUT_INVALID', `data[${bad}] = ${String(values[bad])} is not a valid ${dtype} value`, {
      field: `data[${bad}]`,
      hint: range ? `Use whole numbers in [${range[0]}, ${range[1]}] for ${dtype}.` : 'Use numbers only.',
    });
  }
}

function arrayName(dtype: DType): string {
  return { f32: 'Float32Array', i32: 'Int32Array', i8: 'Int8Array', u8: 'Uint8Array' }[dtype];
}

function describe(value: unknown): string {
  return value === null || typeof value !== 'object' ? String(value) : (value.constructor?.name ?? 'an object');
}
