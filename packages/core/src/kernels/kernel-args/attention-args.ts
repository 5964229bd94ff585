import { formatShape, sameShape } from '../../tensor/tensor-shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkNumber, checkShapeEquals, checkTensor, shapeError } from '../kernel-checks.js';
import type { AttentionOptions } from '../kernel-types.js';

/** A validated attention call: q [B, T, Hq, D], k and v [B, S, Hkv, D], and the resolved options. */
export interface AttentionArgs {
  q: Tensor<'f32'>;
  k: Tensor<'f32'>;
  v: Tensor<'f32'>;
  batch: number;
  time: number;
  keys: number;
  qHeads: number;
  kvHeads: number;
  dim: number;
  scale: number;
  causal: boolean;
}

/** Entry checks of `attention`, shared by every backend so errors read the same. */
export function attentionArgs(q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions = {}): AttentionArgs {
  checkTensor('attention', 'q', q, 'f32', [4]);
  checkTensor('attention', 'k', k, 'f32', [4]);
  checkTensor('attention', 'v', v, 'f32', [4]);
  return geometry('attention', q, k, v, options);
}

/** Entry checks of `attentionBackward`: those of `attention`, plus dout shaped like q. */
export function attentionBackwardArgs(q: Tensor, k: Tensor, v: Tensor, dout: Tensor, options: AttentionOptions = {}): AttentionArgs & { dout: Tensor<'f32'> } {
  checkTensor('attentionBackward', 'q', q, 'f32', [4]);
  checkTensor('attentionBackward', 'k', k, 'f32', [4]);
  checkTensor('attentionBackward', 'v', v, 'f32', [4]);
  checkTensor('attentionBackward', 'dout', dout, 'f32');
  const args = geometry('attentionBackward', q, k, v, options);
  checkShapeEquals('attentionBackward', 'dout', dout, q.shape, 'the output gradient has the shape of q');
  return { ...args, dout };
}

function geometry(kernel: string, q: Tensor<'f32'>, k: Tensor<'f32'>, v: Tensor<'f32'>, options: AttentionOptions): AttentionArgs {
  const [batch, time, qHeads, dim] = q.shape as [number, number, number, number];
  const [kBatch, keys, kvHeads, kDim] = k.shape as [number, number, number, number];
  if (kBatch !== batch || kDim !== dim) {
    throw shapeError(kernel, 'k', `k ${formatShape(k.shape)} does not match q ${formatShape(q.shape)}: expected [${batch}, S, Hkv, ${dim}]`, 'Give k the batch size and head dimension of q: q is [B, T, Hq, D], k and v are [B, S, Hkv, D].');
  }
  if (!sameShape(v.shape, k.shape)) {
    throw shapeError(kernel, 'v', `v has shape ${formatShape(v.shape)} but k has ${formatShape(k.shape)}`, 'Pass k and v with the same shape [B, S, Hkv, D].');
  }
  if (kvHeads === 0 || qHeads % kvHeads !== 0) {
    throw shapeError(kernel, 'k', `q has ${qHeads} heads, not a multiple of the ${kvHeads} kv heads of k`, 'For grouped-query attention Hq must be a whole multiple of Hkv (e.g. 32 and 8).');
  }
  const scale = options.scale ?? 1 / Math.sqrt(dim);
  checkNumber(kernel, 'options.scale', scale, {});
  return { q, k, v, batch, time, keys, qHeads, kvHeads, dim, scale, causal: options.causal ?? true };
}
