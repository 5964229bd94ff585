import { matmulArgs, Tensor, type MatmulOptions } from '@ferry/core';
import type { NativeAddon, SgemmArgs } from './native-addon.js';
import { settle } from './settle.js';

/**
 * Multiply-adds above which a call goes to the libuv pool and returns a
 * promise: a few ms on the scalar path, a quarter of one with SIMD, so the event
 * loop never waits on a GEMM that is worth the hop.
 */
const ASYNC_MACS = 1 << 25;

/** The contract's matmul over the addon's SGEMM; checked by core's matmulArgs, as in every backend, so errors read the same. */
export function nativeMatmul(addon: NativeAddon) {
  return (left: Tensor, right: Tensor, options: MatmulOptions = {}): Tensor<'f32'> | Promise<Tensor<'f32'>> => {
    const { a, b, c, batch, m, n, k, outShape, transA, transB, alpha, beta, broadcastB } = matmulArgs(left, right, options);
    // Every element is written by the kernel, so the output skips zeroing (see cc/output-buffer.cc).
    const out = new Tensor('f32', addon.allocFloat32(batch * m * n), outShape);
    // The kernel accumulates into its output, so c is copied there: the caller's c is never modified.
    if (c !== undefined && beta !== 0) out.data.set(c.data);
    const args: SgemmArgs = [a.data, b.data, out.data, batch, m, n, k, transA, transB, alpha, beta, !broadcastB];
    return settle(addon.sgemm(...args, batch * m * n * k >= ASYNC_MACS), out);
  };
}
