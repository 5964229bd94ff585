import {
  activationArgs,
  activationBackwardArgs,
  adamwArgs,
  attentionArgs,
  attentionBackwardArgs,
  badInput,
  checkNf4Tensor,
  crossEntropyArgs,
  dequantizeInt8Args,
  layernormArgs,
  layernormBackwardArgs,
  matmulArgs,
  NF4_ABSMAX_BLOCK_SIZE,
  NF4_BLOCK_SIZE,
  nf4MatmulArgs,
  quantizeInt8Args,
  quantizeNf4Args,
  rmsnormArgs,
  rmsnormBackwardArgs,
  ropeArgs,
  softmaxArgs,
  softmaxBackwardArgs,
  Tensor,
  topkSimilarityArgs,
  type ActivationBackwardKernel,
  type ActivationKernel,
  type KernelSet,
  type RopeOptions,
} from '@ferry/core';
import type { CudaAddon } from './cuda-addon.js';

/*
 * The KernelSet on top of ferry_cuda.node. Inputs are validated by core's
 * *Args functions, the ones every backend calls, so errors read the same and
 * the addon only ever sees consistent shapes; outputs are allocated here and
 * filled by the addon.
 */

const SILU = 0;
const GELU = 1;

/** `cuda()` returns the loaded addon or throws why it is unavailable. */
export function createCudaKernels(cuda: () => CudaAddon): KernelSet {
  return {
    matmul(left, right, options) {
      const { a, b, c, batch, m, n, k, outShape, transA, transB, alpha, beta, broadcastB } = matmulArgs(left, right, options);
      const out = Tensor.zeros(outShape, 'f32');
      cuda().matmul(a.data, b.data, beta === 0 || c === undefined ? null : c.data, out.data, batch, m, n, k, transA, transB, !broadcastB, alpha, beta);
      return out;
    },

    softmax(input) {
      const { x, rows, d } = softmaxArgs(input);
      const out = Tensor.zeros(x.shape, 'f32');
      cuda().softmax(x.data, out.data, rows, d);
      return out;
    },

    softmaxBackward(yInput, dyInput) {
      const { y, dy, rows, d } = softmaxBackwardArgs(yInput, dyInput);
      const dx = Tensor.zeros(y.shape, 'f32');
      cuda().softmaxBackward(y.data, dy.data, dx.data, rows, d);
      return dx;
    },

    layernorm(xInput, gammaInput, betaInput, options) {
      const { x, gamma, beta, rows, d, eps } = layernormArgs(xInput, gammaInput, betaInput, options);
      const out = Tensor.zeros(x.shape, 'f32');
      cuda().layernorm(x.data, gamma.data, beta.data, out.data, rows, d, eps);
      return out;
    },

    layernormBackward(xInput, gammaInput, dyInput, options) {
      const { x, gamma, dy, rows, d, eps } = layernormBackwardArgs(xInput, gammaInput, dyInput, options);
      const dx = Tensor.zeros(x.shape, 'f32');
      const dgamma = Tensor.zeros([d], 'f32');
      const dbeta = Tensor.zeros([d], 'f32');
      cuda().layernormBackward(x.data, gamma.data, dy.data, dx.data, dgamma.data, dbeta.data, rows, d, eps);
      return { dx, dgamma, dbeta };
    },

    rmsnorm(xInput, gammaInput, options) {
      const { x, gamma, rows, d, eps } = rmsnormArgs(xInput, gammaInput, options);
      const out = Tensor.zeros(x.shape, 'f32');
      cuda().rmsnorm(x.data, gamma.data, out.data, rows, d, eps);
      return out;
    },

    rmsnormBackward(xInput, gammaInput, dyInput, options) {
      const { x, gamma, dy, rows, d, eps } = rmsnormBackwardArgs(xInput, gammaInput, dyInput, options);
      const dx = Tensor.zeros(x.shape, 'f32');
      const dgamma = Tensor.zeros([d], 'f32');
      cuda().rmsnormBackward(x.data, gamma.data, dy.data, dx.data, dgamma.data, rows, d, eps);
      return { dx, dgamma };
    },

    rope: (x, options) => rotate('rope', x, options, 1, cuda),
    ropeBackward: (dy, options) => rotate('ropeBackward', dy, options, -1, cuda),

    silu: (x) => activation('silu', SILU, x, cuda),
    siluBackward: (x, dy) => activationGrad('siluBackward', SILU, x, dy, cuda),
    gelu: (x) => activation('gelu', GELU, x, cuda),
    geluBackward: (x, dy) => activationGrad('geluBackward', GELU, x, dy, cuda),

    attention(qInput, kInput, vInput, options) {
      const g = attentionArgs(qInput, kInput, vInput, options);
      const addon = cuda();
      checkHeadDim('attention', g.dim, addon.maxAttentionDim);
      const { q, k, v } = g;
      const out = Tensor.zeros(q.shape, 'f32');
      addon.attention(q.data, k.data, v.data, out.data, g.batch, g.time, g.keys, g.qHeads, g.kvHeads, g.dim, g.scale, g.causal);
      return out;
    },

    attentionBackward(qInput, kInput, vInput, doutInput, options) {
      const g = attentionBackwardArgs(qInput, kInput, vInput, doutInput, options);
      const addon = cuda();
      checkHeadDim('attentionBackward', g.dim, addon.maxAttentionDim);
      const { q, k, v, dout } = g;
      const dq = Tensor.zeros(q.shape, 'f32');
      const dk = Tensor.zeros(k.shape, 'f32');
      const dv = Tensor.zeros(v.shape, 'f32');
      addon.attentionBackward(q.data, k.data, v.data, dout.data, dq.data, dk.data, dv.data, g.batch, g.time, g.keys, g.qHeads, g.kvHeads, g.dim, g.scale, g.causal);
      return { dq, dk, dv };
    },

    crossEntropy(logitsInput, targetsInput, options) {
      const { logits, targets, rows, vocab, ignoreIndex } = crossEntropyArgs('crossEntropy', logitsInput, targetsInput, options);
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

    crossEntropyBackward(logitsInput, targetsInput, options) {
      const { logits, targets, rows, vocab, ignoreIndex } = crossEntropyArgs('crossEntropyBackward', logitsInput, targetsInput, options);
      let count = 0;
      for (let row = 0; row < rows; row++) if (targets.data[row] !== ignoreIndex) count++;
      const grad = Tensor.zeros(logits.shape, 'f32');
      cuda().crossEntropyBackward(logits.data, targets.data, grad.data, rows, vocab, ignoreIndex, count);
      return grad;
    },

    adamw(paramInput, gradInput, mInput, vInput, options) {
      const { param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step } = adamwArgs(paramInput, gradInput, mInput, vInput, options);
      cuda().adamw(param.data, grad.data, m.data, v.data, param.size, lr, beta1, beta2, eps, weightDecay, 1 - beta1 ** step, 1 - beta2 ** step);
    },

    quantizeInt8(input) {
      const { x, rows, cols } = quantizeInt8Args(input);
      const q = Tensor.zeros([rows, cols], 'i8');
      const scale = Tensor.zeros([rows], 'f32');
      cuda().quantizeInt8(x.data, q.data, scale.data, rows, cols);
      return { q, scale };
    },

    dequantizeInt8(qInput, scaleInput) {
      const { q, scale, rows, cols } = dequantizeInt8Args(qInput, scaleInput);
      const out = Tensor.zeros([rows, cols], 'f32');
      cuda().dequantizeInt8(q.data, scale.data, out.data, rows, cols);
      return out;
    },

    quantizeNf4(input) {
      const { x, packedBytes, blocks, groups } = quantizeNf4Args(input);
      const packed = Tensor.zeros([packedBytes], 'u8');
      const absmaxQ = Tensor.zeros([blocks], 'i8');
      const absmaxScale = Tensor.zeros([groups], 'f32');
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

    nf4Matmul(input, w) {
      const { x, rows, n, k, outShape } = nf4MatmulArgs(input, w);
      const out = Tensor.zeros(outShape, 'f32');
      const { packed, absmaxQ, absmaxScale, absmaxMean } = w;
      cuda().nf4Matmul(x.data, packed.data, absmaxQ.data, absmaxScale.data, absmaxMean, n * k, out.data, rows, n, k);
      return out;
    },

    topkSimilarity(queryInput, matrixInput, options) {
      const { queries, matrix, rows, dim, queryCount, kept, outShape, metric } = topkSimilarityArgs(queryInput, matrixInput, options);
      const indices = Tensor.zeros(outShape, 'i32');
      const scores = Tensor.zeros(outShape, 'f32');
      cuda().topkSimilarity(queries.data, matrix.data, indices.data, scores.data, queryCount, rows, dim, kept, metric === 'cosine');
      return { indices, scores };
    },
  };
}

function activation(kernel: ActivationKernel, op: number, input: Tensor, cuda: () => CudaAddon): Tensor<'f32'> {
  const { x } = activationArgs(kernel, input);
  const out = Tensor.zeros(x.shape, 'f32');
  cuda().activation(op, x.data, out.data, x.size);
  return out;
}

function activationGrad(kernel: ActivationBackwardKernel, op: number, xInput: Tensor, dyInput: Tensor, cuda: () => CudaAddon): Tensor<'f32'> {
  const { x, dy } = activationBackwardArgs(kernel, xInput, dyInput);
  const dx = Tensor.zeros(x.shape, 'f32');
  cuda().activationBackward(op, x.data, dy.data, dx.data, x.size);
  return dx;
}

function rotate(kernel: 'rope' | 'ropeBackward', input: Tensor, options: RopeOptions | undefined, direction: 1 | -1, cuda: () => CudaAddon): Tensor<'f32'> {
  const { x, batch, time, heads, dim, theta, positionOffset } = ropeArgs(kernel, input, options);
  const out = Tensor.zeros(x.shape, 'f32');
  cuda().rope(x.data, out.data, batch, time, heads, dim, theta, positionOffset, direction);
  return out;
}

/** The CUDA kernels keep a head's row in shared memory, which caps D; the other backends have no limit. */
function checkHeadDim(kernel: string, dim: number, maxDim: number): void {
  if (dim > maxDim) {
    throw badInput(kernel, 'q', `the cuda backend supports head dimensions up to ${maxDim}, got D = ${dim}`, 'Use a head dimension of at most 256, or run this kernel on another backend (registry.use).');
  }
}
