import { badInput, checkNumber, checkTensor, formatShape, sameShape, shapeError, Tensor, type MatmulOptions } from '@ferry/core';
import type { NativeAddon, SgemmArgs } from './native-addon.js';
import { settle } from './settle.js';

/**
 * Multiply-adds above which a call goes to the libuv pool and returns a
 * promise: a few ms on the scalar path, a quarter of one with SIMD, so the event
 * loop never waits on a GEMM that is worth the hop.
 */
const ASYNC_MACS = 1 << 25;

/** The contract's matmul over the addon's SGEMM; checks mirror the js reference so errors read the same. */
export function nativeMatmul(addon: NativeAddon) {
  return (a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor<'f32'> | Promise<Tensor<'f32'>> => {
    checkTensor('matmul', 'a', a, 'f32', [2, 3]);
    checkTensor('matmul', 'b', b, 'f32', [2, 3]);
    const { transA = false, transB = false, alpha = 1, c } = options;
    checkNumber('matmul', 'options.alpha', alpha, {});
    if (a.rank === 2 && b.rank === 3) {
      throw shapeError('matmul', 'b', `b is batched ${formatShape(b.shape)} but a is 2-D ${formatShape(a.shape)}`, 'Give a the batch dimension too (a.reshape([1, M, K]) broadcasts only for b), or loop over the batch.');
    }
    const batch = a.rank === 3 ? (a.shape[0] ?? 1) : 1;
    if (b.rank === 3 && b.shape[0] !== batch) {
      throw shapeError('matmul', 'b', `batch sizes differ: a ${formatShape(a.shape)}, b ${formatShape(b.shape)}`, 'Use the same leading batch dimension, or a 2-D b to share it across the batch.');
    }
    const [a0, a1] = a.shape.slice(-2) as [number, number];
    const [b0, b1] = b.shape.slice(-2) as [number, number];
    const [m, k] = transA ? [a1, a0] : [a0, a1];
    const [kb, n] = transB ? [b1, b0] : [b0, b1];
    if (k !== kb) {
      throw shapeError(
        'matmul',
        'b',
        `inner dimensions differ: op(a) is [${m}, ${k}] (a ${formatShape(a.shape)}${transA ? ', transA' : ''}), op(b) is [${kb}, ${n}] (b ${formatShape(b.shape)}${transB ? ', transB' : ''})`,
        `Pass b with ${k} rows (or ${k} columns with transB: true), or fix transA/transB.`,
      );
    }
    const outShape = a.rank === 3 ? [batch, m, n] : [m, n];
    const beta = options.beta ?? (c === undefined ? 0 : 1);
    checkNumber('matmul', 'options.beta', beta, {});
    if (c === undefined && beta !== 0) {
      throw badInput('matmul', 'options.beta', `beta = ${beta} but no c was given to scale`, 'Pass options.c with the output shape, or drop beta.');
    }
    // Every element is written by the kernel, so the output skips zeroing (see cc/output-buffer.cc).
    const out = new Tensor('f32', addon.allocFloat32(batch * m * n), outShape);
    if (c !== undefined) {
      checkTensor('matmul', 'options.c', c, 'f32');
      if (!sameShape(c.shape, outShape)) {
        throw shapeError('matmul', 'options.c', `c has shape ${formatShape(c.shape)} but the output is ${formatShape(outShape)}`, `Pass c with shape ${formatShape(outShape)}.`);
      }
      // The kernel accumulates into its output, so c is copied there: the caller's c is never modified.
      if (beta !== 0) out.data.set(c.data);
    }
    const args: SgemmArgs = [a.data, b.data, out.data, batch, m, n, k, transA, transB, alpha, beta, b.rank === 3];
    return settle(addon.sgemm(...args, batch * m * n * k >= ASYNC_MACS), out);
  };
}
