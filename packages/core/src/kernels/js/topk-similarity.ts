import { Tensor } from '../../tensor/tensor.js';
import { topkSimilarityArgs } from '../kernel-args/topk-similarity-args.js';
import type { TopkResult, TopkSimilarityOptions } from '../kernel-types.js';

/** Scores every row of the matrix for each query and keeps the best k (sorted; ties by lower index). */
export function topkSimilarity(queryInput: Tensor, matrixInput: Tensor, options: TopkSimilarityOptions): TopkResult {
  const { queries, matrix, rows, dim, queryCount, kept, outShape, metric } = topkSimilarityArgs(queryInput, matrixInput, options);
  const indices = Tensor.zeros(outShape, 'i32');
  const scores = Tensor.zeros(outShape, 'f32');
  const rowNorms = metric === 'cosine' ? norms(matrix.data, rows, dim) : undefined;
  const rowScores = new Float64Array(rows);
  const order = Array.from({ length: rows }, (_, i) => i);
  for (let q = 0; q < queryCount; q++) {
    const qBase = q * dim;
    const queryNorm = metric === 'cosine' ? (norms(queries.data.subarray(qBase, qBase + dim), 1, dim)[0] ?? 0) : 1;
    for (let r = 0; r < rows; r++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += queries.data[qBase + d]! * matrix.data[r * dim + d]!;
      const denominator = rowNorms === undefined ? 1 : queryNorm * rowNorms[r]!;
      rowScores[r] = denominator === 0 ? 0 : dot / denominator;
    }
    order.sort((a, b) => rowScores[b]! - rowScores[a]! || a - b);
    for (let i = 0; i < kept; i++) {
      indices.data[q * kept + i] = order[i]!;
      scores.data[q * kept + i] = rowScores[order[i]!]!;
    }
  }
  return { indices, scores };
}

function norms(data: Float32Array, rows: number, dim: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let d = 0; d < dim; d++) sum += data[r * dim + d]! ** 2;
    out[r] = Math.sqrt(sum);
  }
  return out;
}
