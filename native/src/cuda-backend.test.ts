import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { Tensor } from '@ferry/core';
import { describeConformance } from '@ferry/core/testing';
import { describe, expect, it } from 'vitest';
import { cudaAddonPath } from './cuda-addon.js';
import { createCudaBackend, cudaStatus } from './cuda-backend.js';

const status = cudaStatus();
const nvccOnPath = spawnSync('sh', ['-c', 'command -v nvcc']).status === 0;

describe.skipIf(!status.available)('cuda backend on a device', () => {
  it('reports the device it runs on', () => {
    expect(status.deviceCount).toBeGreaterThan(0);
    expect(status.device?.name).toBeTruthy();
  });
  describeConformance(createCudaBackend(), { describe, it });
});

describe.skipIf(status.available)('cuda backend without a device', () => {
  it('says why it is unavailable', () => {
    const backend = createCudaBackend();
    expect(() => backend.available()).toThrow(/^(addon not built: .+|no CUDA device: .+|addon .+ does not load: .+)$/);
    expect(status.reason).toBeTruthy();
  });

  it.skipIf(!nvccOnPath)('was built, because nvcc is on PATH', () => {
    expect(existsSync(cudaAddonPath())).toBe(true);
    expect(status.reason).toMatch(/^no CUDA device: /);
  });

  it('fails a kernel call with the same reason', () => {
    expect(() => createCudaBackend().kernels.softmax?.(Tensor.from([1, 2]))).toThrow(`cuda backend unavailable: ${status.reason ?? ''}`);
  });
});
