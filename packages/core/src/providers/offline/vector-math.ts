/** Scales to unit length in place; the zero vector stays zero. */
export function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const x of vector) sum += x * x;
  if (sum === 0) return vector;
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) * scale;
  return vector;
}

/** Dot product, which is the cosine for unit vectors. */
export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

/** A mostly zero vector as its non-zero positions (ascending) and their values. */
export interface SparseVector {
  readonly indices: Uint32Array;
  readonly values: Float32Array;
}

/** `dot(a, b)` over b's non-zero positions only: the same non-zero products in the same order, so the same result. */
export function sparseDot(a: Float32Array, b: SparseVector): number {
  let sum = 0;
  for (let k = 0; k < b.indices.length; k++) sum += (a[b.indices[k] as number] as number) * (b.values[k] as number);
  return sum;
}

/**
 * Dot products of `a` with `count` vectors stored dimension-major (the
 * `count` values of dimension 0, then of dimension 1, ...), visiting only a's
 * non-zero positions. A hashed text vector is mostly zeros and a centroid
 * table dense: this reads one contiguous run of the table per non-zero, and
 * adds the same products in the same order as `dot`, so the same results.
 */
export function sparseDots(a: Float32Array, byDimension: Float32Array, count: number): Float64Array {
  const sums = new Float64Array(count);
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    if (x === 0) continue;
    const row = i * count;
    for (let k = 0; k < count; k++) sums[k] = (sums[k] as number) + x * (byDimension[row + k] as number);
  }
  return sums;
}

/** Vectors of equal length laid out dimension-major, as `sparseDots` reads them. */
export function dimensionMajor(vectors: readonly Float32Array[], dims: number): Float32Array {
  const out = new Float32Array(dims * vectors.length);
  vectors.forEach((vector, k) => {
    for (let i = 0; i < dims; i++) out[i * vectors.length + k] = vector[i] as number;
  });
  return out;
}
