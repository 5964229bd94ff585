import type { KernelBackend } from '../kernel-registry.js';
import type { KernelSet } from '../kernel-types.js';
import { gelu, geluBackward, silu, siluBackward } from './activations.js';
import { adamw } from './adamw.js';
import { attention, attentionBackward } from './attention.js';
import { crossEntropy, crossEntropyBackward } from './cross-entropy.js';
import { dequantizeInt8, quantizeInt8 } from './int8.js';
import { layernorm, layernormBackward } from './layernorm.js';
import { matmul } from './matmul.js';
import { nf4Matmul } from './nf4-matmul.js';
import { dequantizeNf4, quantizeNf4 } from './nf4.js';
import { rmsnorm, rmsnormBackward } from './rmsnorm.js';
import { rope, ropeBackward } from './rope.js';
import { softmax, softmaxBackward } from './softmax.js';
import { topkSimilarity } from './topk-similarity.js';

/**
 * Every kernel, as plain synchronous TypeScript: the reference other backends
 * are checked against. `satisfies` keeps the synchronous return types for
 * direct callers.
 */
export const jsKernels = Object.freeze({
  matmul,
  softmax,
  softmaxBackward,
  layernorm,
  layernormBackward,
  rmsnorm,
  rmsnormBackward,
  rope,
  ropeBackward,
  silu,
  siluBackward,
  gelu,
  geluBackward,
  attention,
  attentionBackward,
  crossEntropy,
  crossEntropyBackward,
  adamw,
  quantizeInt8,
  dequantizeInt8,
  quantizeNf4,
  dequantizeNf4,
  nf4Matmul,
  topkSimilarity,
}) satisfies KernelSet;

export const JS_BACKEND_NAME = 'js';

export function createJsBackend(): KernelBackend {
  return {
    name: JS_BACKEND_NAME,
    priority: 0,
    available: () => true,
    kernels: jsKernels,
    description: 'Reference kernels in plain TypeScript: always available, correct, slow on large models',
  };
}
