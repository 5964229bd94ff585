import type { KernelName } from '../kernels/kernel-types.js';
import { geluBackwardCases, geluCases, siluBackwardCases, siluCases } from './cases/activation-cases.js';
import { attentionBackwardCases, attentionCases } from './cases/attention-cases.js';
import { matmulCases } from './cases/matmul-cases.js';
import {
  layernormBackwardCases,
  layernormCases,
  rmsnormBackwardCases,
  rmsnormCases,
  softmaxBackwardCases,
  softmaxCases,
} from './cases/normalization-cases.js';
import {
  dequantizeInt8Cases,
  dequantizeNf4Cases,
  nf4MatmulCases,
  quantizeInt8Cases,
  quantizeNf4Cases,
} from './cases/quantization-cases.js';
import { ropeBackwardCases, ropeCases } from './cases/rope-cases.js';
import { topkSimilarityCases } from './cases/topk-cases.js';
import { adamwCases, crossEntropyBackwardCases, crossEntropyCases } from './cases/training-cases.js';
import type { AnyConformanceCase } from './conformance-types.js';

const CASES: Readonly<Record<KernelName, readonly AnyConformanceCase[]>> = {
  matmul: matmulCases,
  softmax: softmaxCases,
  softmaxBackward: softmaxBackwardCases,
  layernorm: layernormCases,
  layernormBackward: layernormBackwardCases,
  rmsnorm: rmsnormCases,
  rmsnormBackward: rmsnormBackwardCases,
  rope: ropeCases,
  ropeBackward: ropeBackwardCases,
  silu: siluCases,
  siluBackward: siluBackwardCases,
  gelu: geluCases,
  geluBackward: geluBackwardCases,
  attention: attentionCases,
  attentionBackward: attentionBackwardCases,
  crossEntropy: crossEntropyCases,
  crossEntropyBackward: crossEntropyBackwardCases,
  adamw: adamwCases,
  quantizeInt8: quantizeInt8Cases,
  dequantizeInt8: dequantizeInt8Cases,
  quantizeNf4: quantizeNf4Cases,
  dequantizeNf4: dequantizeNf4Cases,
  nf4Matmul: nf4MatmulCases,
  topkSimilarity: topkSimilarityCases,
};

/** The conformance cases of one kernel, in a stable order (names are unique per kernel). */
export function conformanceCases(kernel: KernelName): readonly AnyConformanceCase[] {
  return CASES[kernel];
}
