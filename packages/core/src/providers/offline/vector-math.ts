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

/** The positions where a (mostly zero) hashed vector is not zero. */
export function nonZeroIndices(vector: Float32Array): Uint32Array {
  const out: number[] = [];
  for (let i = 0; i < vector.length; i++) if (vector[i] !== 0) out.push(i);
  return Uint32Array.from(out);
}

/** `dot(a, b)` over a's non-zero positions only: the same sum in the same order, so the same result. */
export function sparseDot(a: Float32Array, nonZero: Uint32Array, b: Float32Array): number {
  let sum = 0;
  for (const i of nonZero) sum += (a[i] as number) * (b[i] as number);
  return sum;
}
