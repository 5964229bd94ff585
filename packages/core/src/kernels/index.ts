export { badInput, checkNumber, checkShapeEquals, checkTensor, lastDim, shapeError } from './kernel-checks.js';
export {
  createKernelRegistry,
  KernelRegistry,
  validateKernelBackend,
  type BackendInfo,
  type KernelBackend,
  type KernelOps,
} from './kernel-registry.js';
export {
  isKernelName,
  KERNEL_NAMES,
  type AdamWOptions,
  type AttentionGrads,
  type AttentionOptions,
  type CrossEntropyOptions,
  type CrossEntropyResult,
  type Int8Quantized,
  type KernelName,
  type KernelSet,
  type LayerNormGrads,
  type LayerNormOptions,
  type MatmulOptions,
  type MaybePromise,
  type Nf4Tensor,
  type RmsNormGrads,
  type RmsNormOptions,
  type RopeOptions,
  type TopkResult,
  type TopkSimilarityOptions,
} from './kernel-types.js';
export { createJsBackend, JS_BACKEND_NAME, jsKernels } from './js/js-backend.js';
export {
  checkNf4Tensor,
  nearestNf4Code,
  NF4_ABSMAX_BLOCK_SIZE,
  NF4_BLOCK_SIZE,
  NF4_CODEBOOK,
  NF4_THRESHOLDS,
  nf4CodeAt,
} from './nf4-format.js';
