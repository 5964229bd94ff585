import { Tensor, topkSimilarityArgs, type KernelSet } from '@ferry/core';
import type { NativeAddon } from './native-addon.js';
import { ASYNC_ELEMENTS, settle } from './settle.js';

/** Dot / cosine top-k over the rows of a matrix; checked by core's topkSimilarityArgs like every backend. */
export function nativeTopkSimilarity(addon: NativeAddon): Pick<KernelSet, 'topkSimilarity'> {
  return {
    topkSimilarity(queryInput, matrixInput, options) {
      const { queries, matrix, rows, dim, queryCount, kept, outShape, metric } = topkSimilarityArgs(queryInput, matrixInput, options);
      const indices = Tensor.zeros(outShape, 'i32');
      const scores = Tensor.zeros(outShape, 'f32');
      const big = queryCount * rows * dim >= ASYNC_ELEMENTS;
      return settle(addon.topkSimilarity(queries.data, matrix.data, indices.data, scores.data, queryCount, rows, dim, kept, metric === 'cosine', big), { indices, scores });
    },
  };
}
