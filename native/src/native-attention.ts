import { attentionArgs, attentionBackwardArgs, Tensor, type AttentionArgs, type KernelSet } from '@ferry/core';
import type { AttentionGeometry, NativeAddon } from './native-addon.js';
import { settle } from './settle.js';

/** Score multiply-adds above which attention runs on the libuv pool. */
const ASYNC_WORK = 1 << 22;

/** Causal grouped-query attention and its gradient; checked by core's attentionArgs like every backend. */
export function nativeAttention(addon: NativeAddon): Pick<KernelSet, 'attention' | 'attentionBackward'> {
  return {
    attention(qInput, kInput, vInput, options) {
      const args = attentionArgs(qInput, kInput, vInput, options);
      const { q, k, v } = args;
      const geometry = toGeometry(args);
      const out = Tensor.zeros(q.shape, 'f32');
      return settle(addon.attention(q.data, k.data, v.data, out.data, ...geometry, isBig(geometry)), out);
    },
    attentionBackward(qInput, kInput, vInput, doutInput, options) {
      const args = attentionBackwardArgs(qInput, kInput, vInput, doutInput, options);
      const { q, k, v, dout } = args;
      const geometry = toGeometry(args);
      const grads = { dq: Tensor.zeros(q.shape, 'f32'), dk: Tensor.zeros(k.shape, 'f32'), dv: Tensor.zeros(v.shape, 'f32') };
      const pending = addon.attentionBackward(q.data, k.data, v.data, dout.data, grads.dq.data, grads.dk.data, grads.dv.data, ...geometry, isBig(geometry));
      return settle(pending, grads);
    },
  };
}

function isBig([batch, time, keys, qHeads, , dim]: AttentionGeometry): boolean {
  return batch * time * keys * qHeads * dim >= ASYNC_WORK;
}

/** The addon takes the geometry as positional arguments. */
function toGeometry(g: AttentionArgs): AttentionGeometry {
  return [g.batch, g.time, g.keys, g.qHeads, g.kvHeads, g.dim, g.scale, g.causal];
}
