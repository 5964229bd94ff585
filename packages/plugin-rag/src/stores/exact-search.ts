import { Tensor, type KernelRegistry } from '@ferry/core';
import type { VectorArena } from './vector-arena.js';

export interface ScoredRows {
  rows: number[];
  /** Cosine similarities, descending. */
  scores: number[];
}

/**
 * Exact cosine top-k over rows `[0, rowCount)` of the arena whose `allowed`
 * flag is 1: one matmul of the query against every row (the kernel registry
 * picks native SIMD when present), then a k-heap over the allowed scores.
 * Ties keep the lower row first.
 */
export async function exactTopK(kernels: KernelRegistry, arena: VectorArena, rowCount: number, allowed: Uint8Array, query: Float32Array, k: number): Promise<ScoredRows> {
  const dims = arena.dims;
  const matrix = Tensor.from(arena.vectors.subarray(0, rowCount * dims), [rowCount, dims]);
  const dots = (await kernels.ops.matmul(Tensor.from(query, [1, dims]), matrix, { transB: true })).data;
  let norm = 0;
  for (let d = 0; d < dims; d++) norm += query[d]! * query[d]!;
  const queryScale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const invNorms = arena.invNorms;
  // Min-heap of the best k (worst at the root): rows and scores in parallel arrays.
  const heapRows: number[] = [];
  const heapScores: number[] = [];
  const worse = (i: number, j: number) => heapScores[i]! < heapScores[j]! || (heapScores[i] === heapScores[j] && heapRows[i]! > heapRows[j]!);
  const swap = (i: number, j: number) => {
    [heapRows[i], heapRows[j]] = [heapRows[j]!, heapRows[i]!];
    [heapScores[i], heapScores[j]] = [heapScores[j]!, heapScores[i]!];
  };
  const siftDown = (start: number) => {
    for (let i = start; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heapRows.length && worse(l, m)) m = l;
      if (r < heapRows.length && worse(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (let row = 0; row < rowCount; row++) {
    if (allowed[row] !== 1) continue;
    const score = dots[row]! * invNorms[row]! * queryScale;
    if (heapRows.length < k) {
      heapRows.push(row);
      heapScores.push(score);
      for (let i = heapRows.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!worse(i, parent)) break;
        swap(i, parent);
        i = parent;
      }
    } else if (score > heapScores[0]!) {
      heapRows[0] = row;
      heapScores[0] = score;
      siftDown(0);
    }
  }
  const order = heapRows.map((_, i) => i).sort((a, b) => heapScores[b]! - heapScores[a]! || heapRows[a]! - heapRows[b]!);
  return { rows: order.map((i) => heapRows[i]!), scores: order.map((i) => heapScores[i]!) };
}
