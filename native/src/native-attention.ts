import { checkNumber, checkShapeEquals, checkTensor, formatShape, sameShape, shapeError, Tensor, type AttentionOptions, type KernelSet } from '@ferry/core';
import type { AttentionGeometry, NativeAddon } from './native-addon.js';
import { settle } from './settle.js';

/** Score multiply-adds above which attention runs on the libuv pool. */
const ASYNC_WORK = 1 << 22;

/** Causal grouped-query attention and its gradient; checks mirror the js reference. */
export function nativeAttention(addon: NativeAddon): Pick<KernelSet, 'attention' | 'attentionBackward'> {
  return {
    attention(q, k, v, options: AttentionOptions = {}) {
      checkTensor('attention', 'q', q, 'f32', [4]);
      checkTensor('attention', 'k', k, 'f32', [4]);
      checkTensor('attention', 'v', v, 'f32', [4]);
      const geometry = checkGeometry('attention', q, k, v, options);
      const out = Tensor.zeros(q.shape, 'f32');
      return settle(addon.attention(q.data, k.data, v.data, out.data, ...geometry, isBig(geometry)), out);
    },
    attentionBackward(q, k, v, dout, options: AttentionOptions = {}) {
      checkTensor('attentionBackward', 'q', q, 'f32', [4]);
      checkTensor('attentionBackward', 'k', k, 'f32', [4]);
      checkTensor('attentionBackward', 'v', v, 'f32', [4]);
      checkTensor('attentionBackward', 'dout', dout, 'f32');
      const geometry = checkGeometry('attentionBackward', q, k, v, options);
      checkShapeEquals('attentionBackward', 'dout', dout, q.shape, 'the output gradient has the shape of q');
      const grads = { dq: Tensor.zeros(q.shape, 'f32'), dk: Tensor.zeros(k.shape, 'f32'), dv: Tensor.zeros(v.shape, 'f32') };
      const pending = addon.attentionBackward(q.data, k.data, v.data, dout.data, grads.dq.data, grads.dk.data, grads.dv.data, ...geometry, isBig(geometry));
      return settle(pending, grads);
    },
  };
}

function isBig([batch, time, keys, qHeads, , dim]: AttentionGeometry): boolean {
  return batch * time * keys * qHeads * dim >= ASYNC_WORK;
}

function checkGeometry(kernel: string, q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions): AttentionGeometry {
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
  return [batch, time, keys, qHeads, kvHeads, dim, scale, options.causal ?? true];
}
