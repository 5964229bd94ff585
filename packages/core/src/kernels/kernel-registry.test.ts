import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error.js';
import { tensor } from '../tensor/tensor.js';
import { jsKernels } from './js/js-backend.js';
import { expectFerryError } from './js/kernel-test-utils.test-helper.js';
import { createKernelRegistry, KernelRegistry, type KernelBackend } from './kernel-registry.js';
import type { KernelName, KernelSet } from './kernel-types.js';

function backend(name: string, priority: number, kernels: Partial<KernelSet>, available: KernelBackend['available'] = () => true): KernelBackend {
  return { name, priority, available, kernels };
}

const fastMatmul: KernelSet['matmul'] = async (a, b, options) => jsKernels.matmul(a, b, options);

describe('KernelRegistry', () => {
  it('comes with the js backend serving every kernel', () => {
    const registry = createKernelRegistry();
    expect(registry.get('matmul')).toBe(jsKernels.matmul);
    expect(registry.backendFor('topkSimilarity')).toBe('js');
    const [js] = registry.listBackends();
    expect(js).toMatchObject({ name: 'js', priority: 0, available: true, owner: '@ferry/core' });
    expect(js?.kernels).toHaveLength(24);
  });

  it('picks the highest-priority available backend per kernel and falls back to js', () => {
    const registry = createKernelRegistry();
    registry.registerBackend(backend('native', 10, { matmul: fastMatmul }), 'acme-native');
    registry.registerBackend(backend('broken', 20, { matmul: fastMatmul, softmax: jsKernels.softmax }, () => false));
    expect(registry.backendFor('matmul')).toBe('native');
    expect(registry.get('matmul')).toBe(fastMatmul);
    expect(registry.backendFor('softmax')).toBe('js');
    expect(registry.listBackends().map((b) => [b.name, b.available, b.owner])).toEqual([
      ['broken', false, 'app'],
      ['native', true, 'acme-native'],
      ['js', true, '@ferry/core'],
    ]);
  });

  it('keeps the reason when a probe throws, and registration order breaks priority ties', () => {
    const registry = createKernelRegistry();
    registry.registerBackend(backend('cuda', 5, { softmax: jsKernels.softmax }, () => { throw new Error('no CUDA device'); }));
    registry.registerBackend(backend('first', 1, { silu: jsKernels.silu }));
    registry.registerBackend(backend('second', 1, { silu: jsKernels.silu }));
    expect(registry.listBackends().find((b) => b.name === 'cuda')).toMatchObject({ available: false, reason: 'available() threw: no CUDA device' });
    expect(registry.backendFor('softmax')).toBe('js');
    expect(registry.backendFor('silu')).toBe('first');
  });

  it('waits for async probes in init(), resolve() and ops, but not in get()', async () => {
    let answer!: (value: boolean) => void;
    const registry = createKernelRegistry();
    registry.registerBackend(backend('gpu', 10, { matmul: fastMatmul }, () => new Promise<boolean>((resolve) => (answer = resolve))));
    expect(registry.listBackends()[0]).toMatchObject({ name: 'gpu', available: false, reason: expect.stringContaining('still running') });
    expectFerryError(() => registry.get('matmul'), 'KERNEL_NOT_FOUND', 'name', 'still probing');
    expect(registry.backendFor('softmax')).toBe('js');
    const pending = registry.resolve('matmul');
    answer(true);
    expect(await pending).toBe(fastMatmul);
    expect((await registry.init())[0]).toMatchObject({ name: 'gpu', available: true });
  });

  it('treats a rejected probe as unavailable with its reason', async () => {
    const registry = createKernelRegistry();
    registry.registerBackend(backend('gpu', 10, { matmul: fastMatmul }, () => Promise.reject(new Error('driver too old'))));
    const [gpu] = await registry.init();
    expect(gpu).toMatchObject({ available: false, reason: 'available() rejected: driver too old' });
    expect(registry.backendFor('matmul')).toBe('js');
  });

  it('dispatches through ops with await, sync or async kernels alike', async () => {
    const registry = createKernelRegistry();
    const calls: string[] = [];
    registry.registerBackend(backend('spy', 3, {
      matmul: async (a, b, options) => {
        calls.push('matmul');
        return jsKernels.matmul(a, b, options);
      },
    }));
    const out = await registry.ops.matmul(tensor([[1, 2]]), tensor([[3], [4]]));
    expect(out.toArray()).toEqual([[11]]);
    const soft = await registry.ops.softmax(tensor([0, 0]));
    expect(soft.toArray()).toEqual([0.5, 0.5]);
    expect(calls).toEqual(['matmul']);
  });

  it('forces a kernel onto a backend with use(), and back with null', () => {
    const registry = createKernelRegistry();
    registry.registerBackend(backend('native', 10, { matmul: fastMatmul }));
    registry.use('matmul', 'js');
    expect(registry.backendFor('matmul')).toBe('js');
    registry.use('matmul', null);
    expect(registry.backendFor('matmul')).toBe('native');
    expectFerryError(() => registry.use('matmul', 'cuda'), 'KERNEL_NOT_FOUND', 'backendName', 'cuda');
    expectFerryError(() => registry.use('softmax', 'native'), 'KERNEL_NOT_FOUND', 'kernel', 'does not implement');
  });

  it('refuses to dispatch a forced kernel to an unavailable backend', () => {
    const registry = createKernelRegistry();
    registry.registerBackend(backend('off', 10, { matmul: fastMatmul }, () => false));
    registry.use('matmul', 'off');
    expectFerryError(() => registry.get('matmul'), 'KERNEL_BACKEND_INVALID', 'name', 'off', 'returned false');
  });

  it('rejects duplicate names and malformed backends, naming the field', () => {
    const registry = createKernelRegistry();
    registry.registerBackend(backend('native', 1, {}), 'plugin-a');
    try {
      registry.registerBackend(backend('native', 2, {}), 'plugin-b');
      expect.unreachable();
    } catch (error) {
      expect(isFerryError(error, 'KERNEL_BACKEND_INVALID')).toBe(true);
      expect((error as Error).message).toContain('already registered by "plugin-a"');
      expect((error as Error).message).toContain('plugin "plugin-b"');
    }
    const typo = { ...backend('typo', 1, {}), kernels: { softMax: jsKernels.softmax } } as unknown as KernelBackend;
    const typoError = expectFerryError(() => registry.registerBackend(typo), 'KERNEL_BACKEND_INVALID', 'backend.kernels.softMax', 'unknown kernel');
    expect(typoError.hint).toBe('Did you mean "softmax"?');
    registry.registerBackend(backend('partial', 1, { matmul: undefined }));
    expect(registry.listBackends().find((b) => b.name === 'partial')?.kernels).toEqual([]);
    const notFn = { ...backend('nf', 1, {}), kernels: { matmul: 42 } } as unknown as KernelBackend;
    expectFerryError(() => registry.registerBackend(notFn), 'KERNEL_BACKEND_INVALID', 'backend.kernels.matmul', 'not a function');
    expectFerryError(() => registry.registerBackend(backend('bad name', 1, {})), 'KERNEL_BACKEND_INVALID', 'backend.name');
    expectFerryError(() => registry.registerBackend(backend('np', Number.NaN, {})), 'KERNEL_BACKEND_INVALID', 'backend.priority');
    expectFerryError(() => registry.registerBackend({ name: 'na', priority: 1, kernels: {} } as unknown as KernelBackend), 'KERNEL_BACKEND_INVALID', 'backend.available');
  });

  it('says so when no backend serves a kernel or the name is unknown', () => {
    const empty = new KernelRegistry();
    expectFerryError(() => empty.get('matmul'), 'KERNEL_NOT_FOUND', 'name', 'no available backend implements "matmul"');
    empty.registerBackend(backend('off', 1, { matmul: fastMatmul }, () => false));
    expectFerryError(() => empty.get('matmul'), 'KERNEL_NOT_FOUND', 'name', 'off (available() returned false)');
    expectFerryError(() => createKernelRegistry().get('conv2d' as KernelName), 'KERNEL_NOT_FOUND', 'name', '"conv2d" is not a kernel');
  });
});
