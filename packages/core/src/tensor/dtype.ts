/** Element types a Tensor can hold; each maps to one typed array. */
export type DType = 'f32' | 'i32' | 'i8' | 'u8';

export interface DTypeArrays {
  f32: Float32Array;
  i32: Int32Array;
  i8: Int8Array;
  u8: Uint8Array;
}

export type TypedArrayOf<D extends DType> = DTypeArrays[D];
export type AnyTypedArray = DTypeArrays[DType];

/** The dtype a typed array stands for (`Float32Array` -> `'f32'`). */
export type DTypeOf<A extends AnyTypedArray> = A extends Float32Array
  ? 'f32'
  : A extends Int32Array
    ? 'i32'
    : A extends Int8Array
      ? 'i8'
      : 'u8';

export const DTYPES: readonly DType[] = ['f32', 'i32', 'i8', 'u8'];

const INTEGER_RANGE: Record<Exclude<DType, 'f32'>, readonly [number, number]> = {
  i32: [-2147483648, 2147483647],
  i8: [-128, 127],
  u8: [0, 255],
};

export function allocate<D extends DType>(dtype: D, length: number): TypedArrayOf<D> {
  switch (dtype) {
    case 'f32':
      return new Float32Array(length) as TypedArrayOf<D>;
    case 'i32':
      return new Int32Array(length) as TypedArrayOf<D>;
    case 'i8':
      return new Int8Array(length) as TypedArrayOf<D>;
    default:
      return new Uint8Array(length) as TypedArrayOf<D>;
  }
}

export function dtypeOfArray(data: AnyTypedArray): DType | undefined {
  if (data instanceof Float32Array) return 'f32';
  if (data instanceof Int32Array) return 'i32';
  if (data instanceof Int8Array) return 'i8';
  if (data instanceof Uint8Array) return 'u8';
  return undefined;
}

/** The inclusive range an integer dtype can store, or undefined for f32. */
export function integerRange(dtype: DType): readonly [number, number] | undefined {
  return dtype === 'f32' ? undefined : INTEGER_RANGE[dtype];
}
