import { badInput, checkNumber, checkTensor, formatShape, shapeError, Tensor, type KernelSet } from '@ferry/core';
import type { NativeAddon } from './native-addon.js';
import { ASYNC_ELEMENTS, settle } from './settle.js';

/** Dot / cosine top-k over the rows of a matrix; checks mirror the js reference. */
export function nativeTopkSimilarity(addon: NativeAddon): Pick<KernelSet, 'topkSimilarity'> {
  return {
    topkSimilarity(queries, matrix, options) {
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
      const big = queryCount * rows * dim >= ASYNC_ELEMENTS;
      return settle(addon.topkSimilarity(queries.data, matrix.data, indices.data, scores.data, queryCount, rows, dim, kept, metric === 'cosine', big), { indices, scores });
    },
  };
}
