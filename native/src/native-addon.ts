/** The functions the compiled addon exports (cc/addon.cc and the *-binding.cc files). */
export interface NativeAddon {
  cpuFeatures(): NativeCpuFeatures;
  /** False when this CPU or build lacks the path. */
  setIsa(isa: IsaPath): boolean;
  setNumThreads(threads: number): number;
  /** An uninitialised Float32Array backed by malloc'd memory, for outputs a kernel overwrites entirely. */
  allocFloat32(length: number): Float32Array;
  /** Each kernel writes into preallocated outputs; it returns a promise when its last argument, `async`, is true. */
  sgemm(...args: [...SgemmArgs, async: boolean]): Promise<void> | undefined;
  softmax(x: Float32Array, y: Float32Array, rows: number, d: number, async: boolean): Promise<void> | undefined;
  softmaxBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, rows: number, d: number, async: boolean): Promise<void> | undefined;
  rmsnorm(x: Float32Array, gamma: Float32Array, y: Float32Array, rows: number, d: number, eps: number, async: boolean): Promise<void> | undefined;
  rmsnormBackward(
    x: Float32Array,
    gamma: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    dgamma: Float32Array,
    rows: number,
    d: number,
    eps: number,
    async: boolean,
  ): Promise<void> | undefined;
  layernorm(
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    y: Float32Array,
    rows: number,
    d: number,
    eps: number,
    async: boolean,
  ): Promise<void> | undefined;
  layernormBackward(
    x: Float32Array,
    gamma: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
    rows: number,
    d: number,
    eps: number,
    async: boolean,
  ): Promise<void> | undefined;
  activation(op: ActivationOp, x: Float32Array, y: Float32Array, n: number, async: boolean): Promise<void> | undefined;
  activationBackward(op: ActivationOp, x: Float32Array, dy: Float32Array, dx: Float32Array, n: number, async: boolean): Promise<void> | undefined;
  adamw(
    param: Float32Array,
    grad: Float32Array,
    m: Float32Array,
    v: Float32Array,
    n: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    step: number,
    async: boolean,
  ): Promise<void> | undefined;
  topkSimilarity(
    queries: Float32Array,
    matrix: Float32Array,
    indices: Int32Array,
    scores: Float32Array,
    queryCount: number,
    rows: number,
    dim: number,
    k: number,
    cosine: boolean,
    async: boolean,
  ): Promise<void> | undefined;
  quantizeInt8(x: Float32Array, q: Int8Array, scale: Float32Array, rows: number, cols: number, async: boolean): Promise<void> | undefined;
  dequantizeInt8(q: Int8Array, scale: Float32Array, y: Float32Array, rows: number, cols: number, async: boolean): Promise<void> | undefined;
  /** Writes [summed loss of kept rows, their count] into `result`. */
  crossEntropy(logits: Float32Array, targets: Int32Array, result: Float64Array, rows: number, vocab: number, ignoreIndex: number, async: boolean): Promise<void> | undefined;
  crossEntropyBackward(
    logits: Float32Array,
    targets: Int32Array,
    grad: Float32Array,
    rows: number,
    vocab: number,
    ignoreIndex: number,
    count: number,
    async: boolean,
  ): Promise<void> | undefined;
  /** direction 1: rope, -1: its gradient. */
  rope(
    x: Float32Array,
    y: Float32Array,
    batch: number,
    time: number,
    heads: number,
    dim: number,
    theta: number,
    positionOffset: number,
    direction: 1 | -1,
    async: boolean,
  ): Promise<void> | undefined;
  /** Writes the f32-rounded mean of the block absmax values into absmaxMean[0]. */
  quantizeNf4(
    x: Float32Array,
    packed: Uint8Array,
    absmaxQ: Int8Array,
    absmaxScale: Float32Array,
    absmaxMean: Float64Array,
    size: number,
    async: boolean,
  ): Promise<void> | undefined;
  dequantizeNf4(
    packed: Uint8Array,
    absmaxQ: Int8Array,
    absmaxScale: Float32Array,
    absmaxMean: number,
    y: Float32Array,
    size: number,
    async: boolean,
  ): Promise<void> | undefined;
  nf4Matmul(
    x: Float32Array,
    packed: Uint8Array,
    absmaxQ: Int8Array,
    absmaxScale: Float32Array,
    absmaxMean: number,
    out: Float32Array,
    rows: number,
    n: number,
    k: number,
    async: boolean,
  ): Promise<void> | undefined;
  attention(q: Float32Array, k: Float32Array, v: Float32Array, out: Float32Array, ...rest: [...AttentionGeometry, async: boolean]): Promise<void> | undefined;
  attentionBackward(
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    dout: Float32Array,
    dq: Float32Array,
    dk: Float32Array,
    dv: Float32Array,
    ...rest: [...AttentionGeometry, async: boolean]
  ): Promise<void> | undefined;
}

export type AttentionGeometry = [batch: number, time: number, keys: number, qHeads: number, kvHeads: number, dim: number, scale: number, causal: boolean];

/** cc/rowwise-kernels.h `Activation`. */
export const ACTIVATION = { silu: 0, gelu: 1 } as const;
export type ActivationOp = (typeof ACTIVATION)[keyof typeof ACTIVATION];

export type IsaPath = 'scalar' | 'avx2' | 'avx512';

export interface NativeCpuFeatures {
  /** Best path the CPU supports. */
  detected: IsaPath;
  /** Path the kernels use now (lowered by FERRY_NATIVE_ISA or setIsa). */
  active: IsaPath;
  /** The GEMM micro-kernel of the active path, e.g. `avx512 14x32`. */
  gemmKernel: string;
  threads: number;
}

/** a, b, c (written in place), batch, m, n, k, transA, transB, alpha, beta, b has a batch dimension. */
export type SgemmArgs = [
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  batch: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  alpha: number,
  beta: number,
  bBatched: boolean,
];
