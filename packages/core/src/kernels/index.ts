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
export {
  activationArgs,
  activationBackwardArgs,
  type ActivationBackwardKernel,
  type ActivationKernel,
} from './kernel-args/activation-args.js';
export { adamwArgs, type AdamWArgs } from './kernel-args/adamw-args.js';
export { attentionArgs, attentionBackwardArgs, type AttentionArgs } from './kernel-args/attention-args.js';
export { crossEntropyArgs, type CrossEntropyArgs } from './kernel-args/cross-entropy-args.js';
export { matmulArgs, type MatmulArgs } from './kernel-args/matmul-args.js';
export { dequantizeInt8Args, quantizeInt8Args } from './kernel-args/int8-args.js';
export { nf4MatmulArgs, type Nf4MatmulArgs } from './kernel-args/nf4-matmul-args.js';
export {
  layernormArgs,
  layernormBackwardArgs,
  rmsnormArgs,
  rmsnormBackwardArgs,
  type NormArgs,
} from './kernel-args/norm-args.js';
export { quantizeNf4Args, type QuantizeNf4Args } from './kernel-args/quantize-nf4-args.js';
export { ropeArgs, type RopeArgs } from './kernel-args/rope-args.js';
export { softmaxArgs, softmaxBackwardArgs } from './kernel-args/softmax-args.js';
export { topkSimilarityArgs, type TopkSimilarityArgs } from './kernel-args/topk-similarity-args.js';
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
export { defaultKernels } from './default-kernels.js';
