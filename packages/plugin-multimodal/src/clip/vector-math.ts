/** Returns a unit-length copy (a zero vector stays zero). */
export function normalize(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm);
  return norm === 0 ? Float32Array.from(vector) : vector.map((x) => x / norm);
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  return dot(normalize(a), normalize(b));
}

/** Mean of unit vectors, renormalised: CLIP's prompt-ensemble class embedding. */
export function meanDirection(vectors: Float32Array[]): Float32Array {
  const first = vectors[0];
  if (!first) return new Float32Array(0);
  const sum = new Float32Array(first.length);
  for (const v of vectors) {
    const unit = normalize(v);
    for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] ?? 0) + (unit[i] ?? 0);
  }
  return normalize(sum);
}

export function softmax(logits: number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((x) => Math.exp(x - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((x) => x / total);
}
