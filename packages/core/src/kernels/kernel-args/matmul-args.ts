import { formatShape, sameShape } from '../../tensor/tensor-shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { badInput, checkNumber, checkTensor, shapeError } from '../kernel-checks.js';
import type { MatmulOptions } from '../kernel-types.js';

/** A validated matmul call: the checked operands, the GEMM dimensions and the resolved options. */
export interface MatmulArgs {
  a: Tensor<'f32'>;
  b: Tensor<'f32'>;
  c: Tensor<'f32'> | undefined;
  batch: number;
  m: number;
  n: number;
  k: number;
  outShape: number[];
  transA: boolean;
  transB: boolean;
  alpha: number;
  beta: number;
  /** b is 2-D and shared by every batch of a. */
  broadcastB: boolean;
}

/**
 * Entry checks and dimensions of `matmul`, shared by every backend so a bad
 * call fails with the same error wherever it runs.
 */
export function matmulArgs(a: Tensor, b: Tensor, options: MatmulOptions = {}): MatmulArgs {
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
  if (c !== undefined) {
    checkTensor('matmul', 'options.c', c, 'f32');
    if (!sameShape(c.shape, outShape)) {
      throw shapeError('matmul', 'options.c', `c has shape ${formatShape(c.shape)} but the output is ${formatShape(outShape)}`, `Pass c with shape ${formatShape(outShape)}.`);
    }
  }
  return { a, b, c, batch, m, n, k, outShape, transA, transB, alpha, beta, broadcastB: b.rank === 2 };
}
