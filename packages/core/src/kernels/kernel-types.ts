import type { Tensor } from '../tensor/tensor.js';

/**
 * Kernels may answer synchronously (the js reference) or with a promise (the
 * native backend runs big work off the JS thread); callers always `await`.
 */
export type MaybePromise<T> = T | Promise<T>;

export interface MatmulOptions {
  /** Read `a` as stored transposed: `[K, M]` (or `[B, K, M]`). */
  transA?: boolean;
  /** Read `b` as stored transposed: `[N, K]` (or `[B, N, K]`). */
  transB?: boolean;
  /** Default 1. */
  alpha?: number;
  /** Weight of `c`; default 1 when `c` is given. */
  beta?: number;
  /** Accumulated into the result, shape of the output; not modified. */
  c?: Tensor;
}

export interface LayerNormOptions {
  /** Default 1e-5 (PyTorch LayerNorm). */
  eps?: number;
}

export interface RmsNormOptions {
  /** Default 1e-6 (Llama / HF LlamaRMSNorm). */
  eps?: number;
}

export interface RopeOptions {
  /** Base of the frequencies; default 10000. */
  theta?: number;
  /** Position of the first token along T (the KV-cache length when decoding); default 0. */
  positionOffset?: number;
}

export interface AttentionOptions {
  /** Default true. With S > T the mask is aligned to the end: query i sees keys j <= i + S - T. */
  causal?: boolean;
  /** Default 1 / sqrt(D). */
  scale?: number;
}

export interface CrossEntropyOptions {
  /** Rows whose target equals this are skipped; default -100 (PyTorch / HF). */
  ignoreIndex?: number;
}

export interface AdamWOptions {
  lr: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  eps?: number;
  /** Decoupled (applied to the parameter, not the gradient); default 0.01. */
  weightDecay?: number;
  /** 1-based step number, for bias correction. */
  step: number;
}

export interface TopkSimilarityOptions {
  /** How many results per query; clipped to the number of rows of the matrix. */
  k: number;
  /** Default 'cosine'. A zero vector has cosine similarity 0 with everything. */
  metric?: 'dot' | 'cosine';
}

export interface LayerNormGrads {
  dx: Tensor<'f32'>;
  dgamma: Tensor<'f32'>;
  dbeta: Tensor<'f32'>;
}

export interface RmsNormGrads {
  dx: Tensor<'f32'>;
  dgamma: Tensor<'f32'>;
}

export interface AttentionGrads {
  dq: Tensor<'f32'>;
  dk: Tensor<'f32'>;
  dv: Tensor<'f32'>;
}

export interface CrossEntropyResult {
  /** Mean over rows that are not ignored; 0 when every row is ignored. */
  loss: number;
  /** Number of rows that are not ignored. */
  count: number;
}

export interface Int8Quantized {
  q: Tensor<'i8'>;
  /** Per-row absmax / 127; a row of zeros has scale 0. */
  scale: Tensor<'f32'>;
}

/**
 * A tensor in QLoRA's NF4 format with double-quantised block constants.
 * Element `e` of the flattened tensor decodes to
 * `NF4_CODEBOOK[code(e)] * (absmaxQ[b] * absmaxScale[floor(b / 256)] + absmaxMean)`
 * with `b = floor(e / 64)`. `code(e)` is the high nibble of `packed[e >> 1]`
 * for even `e` and the low nibble for odd `e` (bitsandbytes order); when the
 * size is odd the last low nibble is padding (0).
 */
export interface Nf4Tensor {
  shape: readonly number[];
  /** `ceil(size / 2)` bytes, two 4-bit codes each. */
  packed: Tensor<'u8'>;
  /** One per block of 64: `round((absmax - absmaxMean) / absmaxScale)` in [-127, 127]. */
  absmaxQ: Tensor<'i8'>;
  /** One per 256 blocks: symmetric int8 scale (max |absmax - absmaxMean| / 127) of those blocks. */
  absmaxScale: Tensor<'f32'>;
  /** Mean of the block absmax values, subtracted before their 8-bit quantisation. */
  absmaxMean: number;
  blockSize: 64;
  absmaxBlockSize: 256;
}

export interface TopkResult {
  /** Rows of the matrix, best first; `[Q, k]`, or `[k]` for a 1-D query. */
  indices: Tensor<'i32'>;
  /** Their scores, same shape, descending. */
  scores: Tensor<'f32'>;
}

/**
 * The kernel contract. Kernels take tensors and return new tensors (inputs
 * are never modified), except `adamw`, which updates param, m and v in place.
 * All floating point tensors are f32.
 */
export interface KernelSet {
  /** `alpha * op(a) @ op(b) + beta * c`; a `[M, K]` or `[B, M, K]`, b `[K, N]` or `[B, K, N]` (2-D b broadcasts over B). */
  matmul: (a: Tensor, b: Tensor, options?: MatmulOptions) => MaybePromise<Tensor<'f32'>>;
  /** Over the last dimension. */
  softmax: (x: Tensor) => MaybePromise<Tensor<'f32'>>;
  /** Gradient wrt the softmax input, from its output `y` and the output gradient. */
  softmaxBackward: (y: Tensor, dy: Tensor) => MaybePromise<Tensor<'f32'>>;
  /** Over the last dimension D; gamma and beta are `[D]`. */
  layernorm: (x: Tensor, gamma: Tensor, beta: Tensor, options?: LayerNormOptions) => MaybePromise<Tensor<'f32'>>;
  layernormBackward: (x: Tensor, gamma: Tensor, dy: Tensor, options?: LayerNormOptions) => MaybePromise<LayerNormGrads>;
  /** `x / sqrt(mean(x^2) + eps) * gamma` over the last dimension. */
  rmsnorm: (x: Tensor, gamma: Tensor, options?: RmsNormOptions) => MaybePromise<Tensor<'f32'>>;
  rmsnormBackward: (x: Tensor, gamma: Tensor, dy: Tensor, options?: RmsNormOptions) => MaybePromise<RmsNormGrads>;
  /** Rotary embedding of x `[B, T, H, D]`, rotate-half convention (pairs i and i + D/2, as Llama in HF transformers). */
  rope: (x: Tensor, options?: RopeOptions) => MaybePromise<Tensor<'f32'>>;
  /** Gradient of `rope` (the inverse rotation). */
  ropeBackward: (dy: Tensor, options?: RopeOptions) => MaybePromise<Tensor<'f32'>>;
  silu: (x: Tensor) => MaybePromise<Tensor<'f32'>>;
  siluBackward: (x: Tensor, dy: Tensor) => MaybePromise<Tensor<'f32'>>;
  /** GELU, tanh approximation (GPT-2 / `gelu_pytorch_tanh`). */
  gelu: (x: Tensor) => MaybePromise<Tensor<'f32'>>;
  geluBackward: (x: Tensor, dy: Tensor) => MaybePromise<Tensor<'f32'>>;
  /**
   * q `[B, T, Hq, D]`, k and v `[B, S, Hkv, D]`, Hq a multiple of Hkv (query head h uses kv head
   * `floor(h / (Hq / Hkv))`). Returns `[B, T, Hq, D]`. A query row that sees no key (causal, T > S) is 0.
   */
  attention: (q: Tensor, k: Tensor, v: Tensor, options?: AttentionOptions) => MaybePromise<Tensor<'f32'>>;
  attentionBackward: (q: Tensor, k: Tensor, v: Tensor, dout: Tensor, options?: AttentionOptions) => MaybePromise<AttentionGrads>;
  /** logits `[N, V]`, targets i32 `[N]`. */
  crossEntropy: (logits: Tensor, targets: Tensor, options?: CrossEntropyOptions) => MaybePromise<CrossEntropyResult>;
  /** Gradient of the mean loss wrt the logits (already divided by the count); ignored rows get 0. */
  crossEntropyBackward: (logits: Tensor, targets: Tensor, options?: CrossEntropyOptions) => MaybePromise<Tensor<'f32'>>;
  /** One AdamW step, in place on param, m and v. */
  adamw: (param: Tensor, grad: Tensor, m: Tensor, v: Tensor, options: AdamWOptions) => MaybePromise<void>;
  /** Per-row symmetric absmax quantisation of x `[rows, cols]`. */
  quantizeInt8: (x: Tensor) => MaybePromise<Int8Quantized>;
  dequantizeInt8: (q: Tensor, scale: Tensor) => MaybePromise<Tensor<'f32'>>;
  /** NF4 with blocks of 64 over the flattened tensor, any shape. */
  quantizeNf4: (x: Tensor) => MaybePromise<Nf4Tensor>;
  dequantizeNf4: (nf: Nf4Tensor) => MaybePromise<Tensor<'f32'>>;
  /** `x @ dequantize(w)^T` for x `[..., K]` and w of shape `[N, K]`, without materialising w; returns `[..., N]`. */
  nf4Matmul: (x: Tensor, w: Nf4Tensor) => MaybePromise<Tensor<'f32'>>;
  /** Best `k` rows of matrix `[N, D]` for each query `[Q, D]` (or `[D]`). Ties keep the lower index first. */
  topkSimilarity: (queries: Tensor, matrix: Tensor, options: TopkSimilarityOptions) => MaybePromise<TopkResult>;
}

export type KernelName = keyof KernelSet;

// A record, so the compiler insists on every kernel name and no other.
const KERNEL_NAME_RECORD: Record<KernelName, true> = {
  matmul: true,
  softmax: true,
  softmaxBackward: true,
  layernorm: true,
  layernormBackward: true,
  rmsnorm: true,
  rmsnormBackward: true,
  rope: true,
  ropeBackward: true,
  silu: true,
  siluBackward: true,
  gelu: true,
  geluBackward: true,
  attention: true,
  attentionBackward: true,
  crossEntropy: true,
  crossEntropyBackward: true,
  adamw: true,
  quantizeInt8: true,
  dequantizeInt8: true,
  quantizeNf4: true,
  dequantizeNf4: true,
  nf4Matmul: true,
  topkSimilarity: true,
};

export const KERNEL_NAMES: readonly KernelName[] = Object.freeze(Object.keys(KERNEL_NAME_RECORD) as KernelName[]);

export function isKernelName(name: string): name is KernelName {
  return Object.hasOwn(KERNEL_NAME_RECORD, name);
}
