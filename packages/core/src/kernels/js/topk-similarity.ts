import { formatShape } from '../../tensor/tensor-shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { badInput, checkNumber, checkTensor, shapeError } from '../kernel-checks.js';
import type { TopkResult, TopkSimilarityOptions } from '../kernel-types.js';

/** Scores every row of the matrix for each query and keeps the best k (sorted; ties by lower index). */
export function topkSimilarity(queries: Tensor, matrix: Tensor, options: TopkSimilarityOptions): TopkResult {
  checkTensor('topkSimilarity', 'queries', queries, 'f32', [1, 2]);
  checkTensor('topkSimilarity', 'matrix', matrix, 'f32', [2]);
  const [rows, dim] = matrix.shape as [number, number];
  const queryDim = queries.shape[queries.rank - 1]!;
  if (queryDim !== dim) {
    throw shapeError('topkSimilarity', 'queries', `queries ${formatShape(queries.shape)} have ${queryDim} dimensions but matrix ${formatShape(matrix.shape)} rows have ${dim}`, 'Embed queries and matrix rows with the same model, so their dimensions match.');
  }
  const { k, metric = 'cosine' } = options;
  checkNumber('topkSimilarity', 'options.k', k, { integer: true, min: 1 });
  if (metric !== 'dot' && metric !== 'cosine') {
    throw badInput('topkSimilarity', 'options.metric', `metric "${String(metric)}" is not supported`, 'Use "dot" or "cosine".');
  }
  const kept = Math.min(k, rows);
  const queryCount = queries.rank === 1 ? 1 : queries.shape[0]!;
  const outShape = queries.rank === 1 ? [kept] : [queryCount, kept];
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
