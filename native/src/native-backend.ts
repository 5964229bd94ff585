import type { KernelBackend } from '@ferry/core';
import { loadAddon, type NativeBuildStatus } from './load-addon.js';
import type { IsaPath, NativeAddon, NativeCpuFeatures } from './native-addon.js';
import { nativeAttention } from './native-attention.js';
import { nativeMatmul } from './native-matmul.js';
import { nativeNf4 } from './native-nf4.js';
import { nativeAdamw } from './native-adamw.js';
import { nativeCrossEntropy } from './native-cross-entropy.js';
import { nativeInt8 } from './native-int8.js';
import { nativeRope } from './native-rope.js';
import { nativeRowwise } from './native-rowwise.js';
import { nativeTopkSimilarity } from './native-topk-similarity.js';

export const NATIVE_BACKEND_NAME = 'native';

/**
 * The `native` backend (priority 50). Kernels it does not implement fall back
 * to lower-priority backends through the registry. When the addon is missing,
 * available() throws with the install-time reason and the fix, which the
 * registry and `ferry doctor` show.
 */
export function createNativeBackend(): KernelBackend {
  const { addon, status } = loadAddon();
  const description = addon ? `C++ SIMD kernels (${addon.cpuFeatures().gemmKernel})` : 'C++ SIMD kernels (addon not built)';
  return {
    name: NATIVE_BACKEND_NAME,
    priority: 50,
    description,
    available: () => {
      if (!addon) throw new Error(`${status.reason ?? 'native addon not loaded'}. Fix: ${status.fix ?? ''}`.trim());
      return true;
    },
    kernels: addon ? kernelsOf(addon) : {},
  };
}

function kernelsOf(addon: NativeAddon): KernelBackend['kernels'] {
  return {
    matmul: nativeMatmul(addon),
    ...nativeAttention(addon),
    ...nativeRowwise(addon),
    ...nativeRope(addon),
    ...nativeCrossEntropy(addon),
    ...nativeAdamw(addon),
    ...nativeTopkSimilarity(addon),
    ...nativeInt8(addon),
    ...nativeNf4(addon),
  };
}

/** For `ferry doctor`: whether the addon loads and, if not, why and how to fix it. */
export function nativeBuildStatus(): NativeBuildStatus {
  return loadAddon().status;
}

/** The ISA path in use and the thread count; undefined when the addon is not built. */
export function cpuFeatures(): NativeCpuFeatures | undefined {
  return loadAddon().addon?.cpuFeatures();
}

/** Lowers (or restores) the ISA path, e.g. to compare against scalar; returns the path now active. */
export function setIsa(isa: IsaPath): IsaPath {
  const addon = requireAddon();
  if (!addon.setIsa(isa)) throw new Error(`this CPU (or build) has no ${isa} path; detected: ${addon.cpuFeatures().detected}`);
  return addon.cpuFeatures().active;
}

/** Resizes the kernel thread pool (default: FERRY_NUM_THREADS, else the number of CPUs); returns the new size. */
export function setNumThreads(threads: number): number {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a whole number >= 1, got ${threads}`);
  return requireAddon().setNumThreads(threads);
}

function requireAddon(): NativeAddon {
  const { addon, status } = loadAddon();
  if (!addon) throw new Error(`${status.reason ?? 'native addon not loaded'}. Fix: ${status.fix ?? ''}`);
  return addon;
}
