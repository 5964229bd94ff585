import { formatShape } from '../../tensor/tensor-shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { badInput, checkNumber, checkTensor, shapeError } from '../kernel-checks.js';
import type { TopkSimilarityOptions } from '../kernel-types.js';

/** A validated topkSimilarity call: checked inputs, sizes and the output shape. */
export interface TopkSimilarityArgs {
  queries: Tensor<'f32'>;
  matrix: Tensor<'f32'>;
  /** Rows of the matrix. */
  rows: number;
  dim: number;
  queryCount: number;
  /** Results per query: k, or every row when the matrix has fewer. */
  kept: number;
  outShape: number[];
  metric: 'dot' | 'cosine';
}

/** Entry checks of `topkSimilarity`, shared by every backend so errors read the same. */
export function topkSimilarityArgs(queries: Tensor, matrix: Tensor, options: TopkSimilarityOptions): TopkSimilarityArgs {
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
  return { queries, matrix, rows, dim, queryCount, kept, outShape, metric };
}
