import {
  badInput,
  checkNf4Tensor,
  checkNumber,
  checkShapeEquals,
  checkTensor,
  formatShape,
  lastDim,
  NF4_ABSMAX_BLOCK_SIZE,
  NF4_BLOCK_SIZE,
  sameShape,
  shapeError,
  shapeSize,
  Tensor,
  type AttentionOptions,
  type KernelSet,
} from '@ferry/core';
import type { CudaAddon } from './cuda-addon.js';

/*
 * The KernelSet on top of ferry_cuda.node. Inputs are validated here with
 * core's checks and the same rules (and messages) as the js reference, so
 * the addon only ever sees consistent shapes; outputs are allocated here and
 * filled by the addon.
 */

const SILU = 0;
const GELU = 1;

interface Geometry {
  batch: number;
  time: number;
  keys: number;
  qHeads: number;
  kvHeads: number;
  dim: number;
  scale: number;
  causal: boolean;
}

/** `cuda()` returns the loaded addon or throws why it is unavailable. */
export function createCudaKernels(cuda: () => CudaAddon): KernelSet {
  return {
    matmul(a, b, options = {}) {
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
        throw shapeError('matmul', 'b', `inner dimensions differ: op(a) is [${m}, ${k}], op(b) is [${kb}, ${n}]`, `Pass b with ${k} rows (or ${k} columns with transB: true), or fix transA/transB.`);
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
      const out = Tensor.zeros(outShape, 'f32');
      cuda().matmul(a.data, b.data, beta === 0 || c === undefined ? null : c.data, out.data, batch, m, n, k, transA, transB, b.rank === 3, alpha, beta);
      return out;
    },

    softmax(x) {
      checkTensor('softmax', 'x', x, 'f32');
      const d = lastDim('softmax', 'x', x);
      const out = Tensor.zeros(x.shape, 'f32');
      cuda().softmax(x.data, out.data, rowsOf(x), d);
      return out;
    },

    softmaxBackward(y, dy) {
      checkTensor('softmaxBackward', 'y', y, 'f32');
      checkTensor('softmaxBackward', 'dy', dy, 'f32');
      checkShapeEquals('softmaxBackward', 'dy', dy, y.shape, 'the gradient has the shape of the softmax output y');
      const d = lastDim('softmaxBackward', 'y', y);
      const dx = Tensor.zeros(y.shape, 'f32');
      cuda().softmaxBackward(y.data, dy.data, dx.data, rowsOf(y), d);
      return dx;
    },

    layernorm(x, gamma, beta, options = {}) {
      checkTensor('layernorm', 'x', x, 'f32');
      checkTensor('layernorm', 'gamma', gamma, 'f32');
      checkTensor('layernorm', 'beta', beta, 'f32');
      const { d, eps } = checkNorm('layernorm', x, gamma, options.eps ?? 1e-5);
      checkShapeEquals('layernorm', 'beta', beta, [d], 'one shift per element of the last dimension of x');
      const out = Tensor.zeros(x.shape, 'f32');
      cuda().layernorm(x.data, gamma.data, beta.data, out.data, rowsOf(x), d, eps);
      return out;
    },

    layernormBackward(x, gamma, dy, options = {}) {
      checkTensor('layernormBackward', 'x', x, 'f32');
      checkTensor('layernormBackward', 'gamma', gamma, 'f32');
      checkTensor('layernormBackward', 'dy', dy, 'f32');
      const { d, eps } = checkNorm('layernormBackward', x, gamma, options.eps ?? 1e-5);
      checkShapeEquals('layernormBackward', 'dy', dy, x.shape, 'the gradient has the shape of x');
      const dx = Tensor.zeros(x.shape, 'f32');
      const dgamma = Tensor.zeros([d], 'f32');
      const dbeta = Tensor.zeros([d], 'f32');
      cuda().layernormBackward(x.data, gamma.data, dy.data, dx.data, dgamma.data, dbeta.data, rowsOf(x), d, eps);
      return { dx, dgamma, dbeta };
    },

    rmsnorm(x, gamma, options = {}) {
      checkTensor('rmsnorm', 'x', x, 'f32');
      checkTensor('rmsnorm', 'gamma', gamma, 'f32');
      const { d, eps } = checkNorm('rmsnorm', x, gamma, options.eps ?? 1e-6);
      const out = Tensor.zeros(x.shape, 'f32');
      cuda().rmsnorm(x.data, gamma.data, out.data, rowsOf(x), d, eps);
      return out;
    },

    rmsnormBackward(x, gamma, dy, options = {}) {
      checkTensor('rmsnormBackward', 'x', x, 'f32');
      checkTensor('rmsnormBackward', 'gamma', gamma, 'f32');
      checkTensor('rmsnormBackward', 'dy', dy, 'f32');
      const { d, eps } = checkNorm('rmsnormBackward', x, gamma, options.eps ?? 1e-6);
      checkShapeEquals('rmsnormBackward', 'dy', dy, x.shape, 'the gradient has the shape of x');
      const dx = Tensor.zeros(x.shape, 'f32');
      const dgamma = Tensor.zeros([d], 'f32');
      cuda().rmsnormBackward(x.data, gamma.data, dy.data, dx.data, dgamma.data, rowsOf(x), d, eps);
      return { dx, dgamma };
    },

    rope: (x, options = {}) => rotate('rope', 'x', x, options, 1, cuda),
    ropeBackward: (dy, options = {}) => rotate('ropeBackward', 'dy', dy, options, -1, cuda),

    silu: (x) => activation('silu', SILU, x, cuda),
    siluBackward: (x, dy) => activationGrad('siluBackward', SILU, x, dy, cuda),
    gelu: (x) => activation('gelu', GELU, x, cuda),
    geluBackward: (x, dy) => activationGrad('geluBackward', GELU, x, dy, cuda),

    attention(q, k, v, options = {}) {
      checkTensor('attention', 'q', q, 'f32', [4]);
      checkTensor('attention', 'k', k, 'f32', [4]);
      checkTensor('attention', 'v', v, 'f32', [4]);
      const addon = cuda();
      const g = geometry('attention', q, k, v, options, addon.maxAttentionDim);
      const out = Tensor.zeros(q.shape, 'f32');
      addon.attention(q.data, k.data, v.data, out.data, g.batch, g.time, g.keys, g.qHeads, g.kvHeads, g.dim, g.scale, g.causal);
      return out;
    },

    attentionBackward(q, k, v, dout, options = {}) {
      checkTensor('attentionBackward', 'q', q, 'f32', [4]);
      checkTensor('attentionBackward', 'k', k, 'f32', [4]);
      checkTensor('attentionBackward', 'v', v, 'f32', [4]);
      checkTensor('attentionBackward', 'dout', dout, 'f32');
      const addon = cuda();
      const g = geometry('attentionBackward', q, k, v, options, addon.maxAttentionDim);
      checkShapeEquals('attentionBackward', 'dout', dout, q.shape, 'the output gradient has the shape of q');
      const dq = Tensor.zeros(q.shape, 'f32');
      const dk = Tensor.zeros(k.shape, 'f32');
      const dv = Tensor.zeros(v.shape, 'f32');
      addon.attentionBackward(q.data, k.data, v.data, dout.data, dq.data, dk.data, dv.data, g.batch, g.time, g.keys, g.qHeads, g.kvHeads, g.dim, g.scale, g.causal);
      return { dq, dk, dv };
    },

    crossEntropy(logits, targets, options = {}) {
      checkTensor('crossEntropy', 'logits', logits, 'f32', [2]);
      checkTensor('crossEntropy', 'targets', targets, 'i32', [1]);
      const { rows, vocab, ignoreIndex } = checkTargets('crossEntropy', logits, targets, options.ignoreIndex ?? -100);
      const rowLoss = new Float64Array(rows);
      cuda().crossEntropyRows(logits.data, targets.data, rowLoss, rows, vocab, ignoreIndex);
      // Summed here, in row order, so the mean rounds as the reference's does.
      let total = 0;
      let count = 0;
      for (let row = 0; row < rows; row++) {
        if (targets.data[row] === ignoreIndex) continue;
        total += rowLoss[row]!;
        count++;
      }
      return { loss: count === 0 ? 0 : total / count, count };
    },

    crossEntropyBackward(logits, targets, options = {}) {
      checkTensor('crossEntropyBackward', 'logits', logits, 'f32', [2]);
      checkTensor('crossEntropyBackward', 'targets', targets, 'i32', [1]);
      const { rows, vocab, ignoreIndex } = checkTargets('crossEntropyBackward', logits, targets, options.ignoreIndex ?? -100);
      let count = 0;
      for (let row = 0; row < rows; row++) if (targets.data[row] !== ignoreIndex) count++;
      const grad = Tensor.zeros(logits.shape, 'f32');
      cuda().crossEntropyBackward(logits.data, targets.data, grad.data, rows, vocab, ignoreIndex, count);
      return grad;
    },

    adamw(param, grad, m, v, options) {
      checkTensor('adamw', 'param', param, 'f32');
      checkTensor('adamw', 'grad', grad, 'f32');
      checkTensor('adamw', 'm', m, 'f32');
      checkTensor('adamw', 'v', v, 'f32');
      checkShapeEquals('adamw', 'grad', grad, param.shape, 'the gradient has the shape of the parameter');
      checkShapeEquals('adamw', 'm', m, param.shape, 'optimizer state has the shape of the parameter');
      checkShapeEquals('adamw', 'v', v, param.shape, 'optimizer state has the shape of the parameter');
      const { lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.01, step } = options;
      checkNumber('adamw', 'options.lr', lr, { min: 0 });
      checkNumber('adamw', 'options.beta1', beta1, { min: 0, below: 1 });
      checkNumber('adamw', 'options.beta2', beta2, { min: 0, below: 1 });
      checkNumber('adamw', 'options.eps', eps, { min: 0 });
      checkNumber('adamw', 'options.weightDecay', weightDecay, { min: 0 });
      checkNumber('adamw', 'options.step', step, { integer: true, min: 1 });
      cuda().adamw(param.data, grad.data, m.data, v.data, param.size, lr, beta1, beta2, eps, weightDecay, 1 - beta1 ** step, 1 - beta2 ** step);
    },

    quantizeInt8(x) {
      checkTensor('quantizeInt8', 'x', x, 'f32', [2]);
      const [rows, cols] = x.shape as [number, number];
      const q = Tensor.zeros([rows, cols], 'i8');
      const scale = Tensor.zeros([rows], 'f32');
      cuda().quantizeInt8(x.data, q.data, scale.data, rows, cols);
      return { q, scale };
    },

    dequantizeInt8(q, scale) {
      checkTensor('dequantizeInt8', 'q', q, 'i8', [2]);
      checkTensor('dequantizeInt8', 'scale', scale, 'f32', [1]);
      const [rows, cols] = q.shape as [number, number];
      checkShapeEquals('dequantizeInt8', 'scale', scale, [rows], `one scale per row of q ${formatShape(q.shape)}`);
      const out = Tensor.zeros([rows, cols], 'f32');
      cuda().dequantizeInt8(q.data, scale.data, out.data, rows, cols);
      return out;
    },

    quantizeNf4(x) {
      checkTensor('quantizeNf4', 'x', x, 'f32');
      const blocks = Math.ceil(x.size / NF4_BLOCK_SIZE);
      const packed = Tensor.zeros([Math.ceil(x.size / 2)], 'u8');
      const absmaxQ = Tensor.zeros([blocks], 'i8');
      const absmaxScale = Tensor.zeros([Math.ceil(blocks / NF4_ABSMAX_BLOCK_SIZE)], 'f32');
      const absmaxMean = cuda().quantizeNf4(x.data, x.size, packed.data, absmaxQ.data, absmaxScale.data);
      return {
        shape: Object.freeze([...x.shape]),
        packed,
        absmaxQ,
        absmaxScale,
        absmaxMean,
        blockSize: NF4_BLOCK_SIZE,
        absmaxBlockSize: NF4_ABSMAX_BLOCK_SIZE,
      };
    },

    dequantizeNf4(nf) {
      checkNf4Tensor('dequantizeNf4', 'nf', nf);
      const out = Tensor.zeros(nf.shape, 'f32');
      const { packed, absmaxQ, absmaxScale, absmaxMean } = nf;
      cuda().dequantizeNf4(packed.data, absmaxQ.data, absmaxScale.data, absmaxMean, out.size, out.data);
      return out;
    },

    nf4Matmul(x, w) {
      checkTensor('nf4Matmul', 'x', x, 'f32');
      checkNf4Tensor('nf4Matmul', 'w', w);
      const k = lastDim('nf4Matmul', 'x', x);
      if (w.shape.length !== 2 || w.shape[1] !== k) {
        throw shapeError('nf4Matmul', 'w', `w has shape ${formatShape(w.shape)} but x ${formatShape(x.shape)} needs [N, ${k}]`, 'Quantize the weight as [out_features, in_features] (the nn.Linear layout) with in_features equal to the last dimension of x.');
      }
      const n = w.shape[0]!;
      const out = Tensor.zeros([...x.shape.slice(0, -1), n], 'f32');
      const { packed, absmaxQ, absmaxScale, absmaxMean } = w;
      cuda().nf4Matmul(x.data, packed.data, absmaxQ.data, absmaxScale.data, absmaxMean, n * k, out.data, rowsOf(x), n, k);
      return out;
    },

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
      cuda().topkSimilarity(queries.data, matrix.data, indices.data, scores.data, queryCount, rows, dim, kept, metric === 'cosine');
      return { indices, scores };
    },
  };
}

/** Rows over which a last-dimension kernel runs (also right when that dimension is 0). */
function rowsOf(x: Tensor): number {
  return shapeSize(x.shape.slice(0, -1));
}

function checkNorm(kernel: string, x: Tensor, gamma: Tensor, eps: number): { d: number; eps: number } {
  const d = lastDim(kernel, 'x', x);
  checkShapeEquals(kernel, 'gamma', gamma, [d], 'one scale per element of the last dimension of x');
  checkNumber(kernel, 'options.eps', eps, { min: 0 });
  return { d, eps };
}

function activation(kernel: string, op: number, x: Tensor, cuda: () => CudaAddon): Tensor<'f32'> {
  checkTensor(kernel, 'x', x, 'f32');
  const out = Tensor.zeros(x.shape, 'f32');
  cuda().activation(op, x.data, out.data, x.size);
  return out;
}

function activationGrad(kernel: string, op: number, x: Tensor, dy: Tensor, cuda: () => CudaAddon): Tensor<'f32'> {
  checkTensor(kernel, 'x', x, 'f32');
  checkTensor(kernel, 'dy', dy, 'f32');
  checkShapeEquals(kernel, 'dy', dy, x.shape, 'the gradient has the shape of x');
  const dx = Tensor.zeros(x.shape, 'f32');
  cuda().activationBackward(op, x.data, dy.data, dx.data, x.size);
  return dx;
}

function rotate(kernel: string, field: string, x: Tensor, options: { theta?: number; positionOffset?: number }, direction: 1 | -1, cuda: () => CudaAddon): Tensor<'f32'> {
  checkTensor(kernel, field, x, 'f32', [4]);
  const [batch, time, heads, dim] = x.shape as [number, number, number, number];
  if (dim % 2 !== 0) {
    throw shapeError(kernel, field, `${field} has shape ${formatShape(x.shape)}: the head dimension D = ${dim} must be even`, 'Use an even head dimension; rope rotates pairs (i, i + D/2).');
  }
  const { theta = 10000, positionOffset = 0 } = options;
  checkNumber(kernel, 'options.theta', theta, { above: 0 });
  checkNumber(kernel, 'options.positionOffset', positionOffset, { integer: true, min: 0 });
  const out = Tensor.zeros(x.shape, 'f32');
  cuda().rope(x.data, out.data, batch, time, heads, dim, theta, positionOffset, direction);
  return out;
}

function geometry(kernel: string, q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions, maxDim: number): Geometry {
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
  if (dim > maxDim) {
    throw badInput(kernel, 'q', `the cuda backend supports head dimensions up to ${maxDim}, got D = ${dim}`, 'Use a head dimension of at most 256, or run this kernel on another backend (registry.use).');
  }
  const scale = options.scale ?? 1 / Math.sqrt(dim);
  checkNumber(kernel, 'options.scale', scale, {});
  return { batch, time, keys, qHeads, kvHeads, dim, scale, causal: options.causal ?? true };
}

function checkTargets(kernel: string, logits: Tensor, targets: Tensor<'i32'>, ignoreIndex: number): { rows: number; vocab: number; ignoreIndex: number } {
  const [rows, vocab] = logits.shape as [number, number];
  checkShapeEquals(kernel, 'targets', targets, [rows], `one target per row of logits ${formatShape(logits.shape)}`);
  checkNumber(kernel, 'options.ignoreIndex', ignoreIndex, { integer: true });
  for (let row = 0; row < rows; row++) {
    const target = targets.data[row]!;
    if (target !== ignoreIndex && (target < 0 || target >= vocab)) {
      throw badInput(kernel, 'targets', `targets[${row}] = ${target} is outside the vocabulary [0, ${vocab})`, `Use class ids below ${vocab}, or ${ignoreIndex} (ignoreIndex) for rows that carry no loss.`);
    }
  }
  return { rows, vocab, ignoreIndex };
}
