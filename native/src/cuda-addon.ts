import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const DEFAULT_ADDON = fileURLToPath(new URL('../cuda/build/ferry_cuda.node', import.meta.url));
const STATUS_FILE = fileURLToPath(new URL('../cuda/build/ferry-cuda-status.json', import.meta.url));

/**
 * The functions of ferry_cuda.node (native/cuda/addon.cc). Each fills the
 * preallocated output arrays synchronously and throws with the CUDA error
 * string on failure; shapes must be validated before the call.
 */
export interface CudaAddon {
  devices(): { count: number; error?: string; name?: string; computeCapability?: string; totalMemory?: number };
  maxAttentionDim: number;
  matmul(a: Float32Array, b: Float32Array, c: Float32Array | null, out: Float32Array, batch: number, m: number, n: number, k: number, transA: boolean, transB: boolean, bBatched: boolean, alpha: number, beta: number): void;
  softmax(x: Float32Array, out: Float32Array, rows: number, d: number): void;
  softmaxBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, rows: number, d: number): void;
  layernorm(x: Float32Array, gamma: Float32Array, beta: Float32Array, out: Float32Array, rows: number, d: number, eps: number): void;
  layernormBackward(x: Float32Array, gamma: Float32Array, dy: Float32Array, dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array, rows: number, d: number, eps: number): void;
  rmsnorm(x: Float32Array, gamma: Float32Array, out: Float32Array, rows: number, d: number, eps: number): void;
  rmsnormBackward(x: Float32Array, gamma: Float32Array, dy: Float32Array, dx: Float32Array, dgamma: Float32Array, rows: number, d: number, eps: number): void;
  /** op: 0 silu, 1 gelu. */
  activation(op: number, x: Float32Array, out: Float32Array, n: number): void;
  activationBackward(op: number, x: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void;
  rope(x: Float32Array, out: Float32Array, batch: number, time: number, heads: number, dim: number, theta: number, positionOffset: number, direction: number): void;
  attention(q: Float32Array, k: Float32Array, v: Float32Array, out: Float32Array, batch: number, time: number, keys: number, qHeads: number, kvHeads: number, dim: number, scale: number, causal: boolean): void;
  attentionBackward(q: Float32Array, k: Float32Array, v: Float32Array, dout: Float32Array, dq: Float32Array, dk: Float32Array, dv: Float32Array, batch: number, time: number, keys: number, qHeads: number, kvHeads: number, dim: number, scale: number, causal: boolean): void;
  crossEntropyRows(logits: Float32Array, targets: Int32Array, rowLoss: Float64Array, rows: number, vocab: number, ignoreIndex: number): void;
  crossEntropyBackward(logits: Float32Array, targets: Int32Array, grad: Float32Array, rows: number, vocab: number, ignoreIndex: number, count: number): void;
  adamw(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, n: number, lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, correction1: number, correction2: number): void;
  quantizeInt8(x: Float32Array, q: Int8Array, scale: Float32Array, rows: number, cols: number): void;
  dequantizeInt8(q: Int8Array, scale: Float32Array, out: Float32Array, rows: number, cols: number): void;
  /** Returns absmaxMean. */
  quantizeNf4(x: Float32Array, size: number, packed: Uint8Array, absmaxQ: Int8Array, absmaxScale: Float32Array): number;
  dequantizeNf4(packed: Uint8Array, absmaxQ: Int8Array, absmaxScale: Float32Array, absmaxMean: number, size: number, out: Float32Array): void;
  nf4Matmul(x: Float32Array, packed: Uint8Array, absmaxQ: Int8Array, absmaxScale: Float32Array, absmaxMean: number, size: number, out: Float32Array, rows: number, n: number, k: number): void;
  /** Milliseconds per call of the GEMM kernel alone, on device buffers (benchmarks). */
  timeMatmul(m: number, n: number, k: number, iterations: number): number;
  timeAttention(batch: number, time: number, keys: number, qHeads: number, kvHeads: number, dim: number, scale: number, causal: boolean, iterations: number): number;
  topkSimilarity(queries: Float32Array, matrix: Float32Array, indices: Int32Array, scores: Float32Array, queryCount: number, rows: number, dim: number, k: number, cosine: boolean): void;
}

/** What `ferry doctor` shows about the cuda backend. */
export interface CudaStatus {
  available: boolean;
  addonPath: string;
  /** Why the backend is unavailable; absent when it is. */
  reason?: string;
  /** build/ferry-cuda-status.json as written by native/cuda/build-cuda.mjs, when present. */
  build?: { built: boolean; reason?: string; nvcc?: string; at?: string };
  deviceCount: number;
  device?: { name: string; computeCapability: string; totalMemory: number };
}

type Loaded = { addon: CudaAddon; status: CudaStatus } | { addon?: undefined; status: CudaStatus };

let cached: { path: string; loaded: Loaded } | undefined;

/** `FERRY_CUDA_ADDON` points at another build. */
export function cudaAddonPath(): string {
  return process.env.FERRY_CUDA_ADDON ?? DEFAULT_ADDON;
}

/** Loads the addon and counts devices once per path; never throws. */
export function loadCudaAddon(): Loaded {
  const path = cudaAddonPath();
  if (cached?.path !== path) cached = { path, loaded: tryLoad(path) };
  return cached.loaded;
}

export function cudaStatus(): CudaStatus {
  return loadCudaAddon().status;
}

function tryLoad(path: string): Loaded {
  const build = readBuildRecord();
  const base = { available: false, addonPath: path, deviceCount: 0, ...(build ? { build } : {}) };
  if (!existsSync(path)) {
    const why = build && !build.built ? (build.reason ?? 'no reason recorded') : 'run `node native/cuda/build-cuda.mjs`';
    return { status: { ...base, reason: `addon not built: ${why}` } };
  }
  let addon: CudaAddon;
  try {
    addon = createRequire(import.meta.url)(path) as CudaAddon;
  } catch (error) {
    return { status: { ...base, reason: `addon ${path} does not load: ${error instanceof Error ? error.message : String(error)}` } };
  }
  const devices = addon.devices();
  if (devices.count === 0) {
    return { status: { ...base, reason: `no CUDA device: ${devices.error ?? 'the CUDA runtime found none'}` } };
  }
  const device = { name: devices.name ?? 'unknown', computeCapability: devices.computeCapability ?? '?', totalMemory: devices.totalMemory ?? 0 };
  return { addon, status: { ...base, available: true, deviceCount: devices.count, device } };
}

function readBuildRecord(): CudaStatus['build'] {
  try {
    return JSON.parse(readFileSync(STATUS_FILE, 'utf8')) as CudaStatus['build'];
  } catch {
    return undefined;
  }
}
