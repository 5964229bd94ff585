import { createKernelRegistry, Tensor } from '@ferry/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createNativeBackend, nativeBuildStatus } from './native-backend.js';

describe('native backend without its addon', () => {
  const saved = process.env.FERRY_NATIVE_ADDON;
  afterEach(() => {
    if (saved === undefined) delete process.env.FERRY_NATIVE_ADDON;
    else process.env.FERRY_NATIVE_ADDON = saved;
  });

  it('reports unavailable with the reason and the fix, and the registry falls back to js', async () => {
    process.env.FERRY_NATIVE_ADDON = '/nonexistent/ferry_native.node';
    const status = nativeBuildStatus();
    expect(status.loaded).toBe(false);
    expect(status.reason).toContain('/nonexistent/ferry_native.node is missing');
    expect(status.fix).toMatch(/rebuild|build-native/);

    const backend = createNativeBackend();
    expect(() => backend.available()).toThrow(/missing.*Fix:/);
    const registry = createKernelRegistry();
    registry.registerBackend(backend);
    const [native] = (await registry.init()).filter((b) => b.name === 'native');
    expect(native?.available).toBe(false);
    expect(native?.reason).toContain('is missing');
    expect(registry.backendFor('matmul')).toBe('js');
    const out = await registry.ops.matmul(Tensor.from([1, 2, 3, 4], [2, 2]), Tensor.from([1, 0, 0, 1], [2, 2]));
    expect(Array.from(out.data)).toEqual([1, 2, 3, 4]);
  });
});
