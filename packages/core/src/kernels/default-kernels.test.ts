import { describe, expect, it } from 'vitest';
import { defaultKernels } from './default-kernels.js';

describe('defaultKernels', () => {
  it('is one shared registry with the js backend and, when the addon is built here, native', async () => {
    const registry = await defaultKernels();
    expect(await defaultKernels()).toBe(registry);
    const names = registry.listBackends().map((b) => b.name);
    expect(names).toContain('js');
    const native = registry.listBackends().find((b) => b.name === 'native');
    // The monorepo builds @ferry/native; elsewhere its absence is not an error.
    if (native) expect(native.kernels.length).toBeGreaterThan(0);
  });
});
