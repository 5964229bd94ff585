import type { KernelBackend } from '@ferry/core';
import { cudaStatus, loadCudaAddon, type CudaAddon } from './cuda-addon.js';
import { createCudaKernels } from './cuda-kernels.js';

export { cudaStatus, type CudaStatus } from './cuda-addon.js';

export const CUDA_BACKEND_NAME = 'cuda';

/**
 * Every kernel on the first CUDA device (priority 100, above `native`).
 * Tensors live in host memory: each call copies its inputs to the device and
 * its outputs back, so the win is on large GEMMs and attention.
 */
export function createCudaBackend(): KernelBackend {
  return {
    name: CUDA_BACKEND_NAME,
    priority: 100,
    available() {
      const status = cudaStatus();
      if (!status.available) throw new Error(status.reason ?? 'cuda backend unavailable');
      return true;
    },
    kernels: createCudaKernels(requireAddon),
    description: 'CUDA kernels (SGEMM, attention, norms, quantisation) on the first GPU, via ferry_cuda.node',
  };
}

function requireAddon(): CudaAddon {
  const { addon, status } = loadCudaAddon();
  if (!addon) throw new Error(`cuda backend unavailable: ${status.reason ?? 'unknown reason'}`);
  return addon;
}
