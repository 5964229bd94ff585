import { definePlugin } from '@ferry/core';
import { createCudaBackend } from './cuda-backend.js';
import { createNativeBackend } from './native-backend.js';
import { NATIVE_VERSION } from './version.js';

export { createNativeBackend, cpuFeatures, NATIVE_BACKEND_NAME, nativeBuildStatus, setIsa, setNumThreads } from './native-backend.js';
export type { NativeBuildStatus } from './load-addon.js';
export type { IsaPath, NativeCpuFeatures } from './native-addon.js';
export { NATIVE_VERSION } from './version.js';
export { createCudaBackend, cudaStatus, CUDA_BACKEND_NAME, type CudaStatus } from './cuda-backend.js';

export const plugin = definePlugin({
  name: '@ferry/native',
  version: NATIVE_VERSION,
  description: 'C++ SIMD tensor kernels (AVX-512, AVX2+FMA, scalar) as the `native` backend, CUDA kernels as the `cuda` backend where a GPU is found',
  core: '^0.1.0',
  setup(ctx) {
    ctx.kernels.registerBackend(createNativeBackend());
    // Registered everywhere: its probe reports "no device" and the registry skips it.
    ctx.kernels.registerBackend(createCudaBackend());
  },
});
