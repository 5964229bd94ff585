import { createKernelRegistry, type KernelBackend, type KernelRegistry } from '@ferry/core';

let shared: Promise<KernelRegistry> | undefined;

/**
 * A registry with `js` and, when @ferry/native is installed and its addon
 * built, `native`. Plugins cannot reach the host's registry from their setup
 * context, so the provider builds this one unless given a registry.
 */
export function defaultKernels(): Promise<KernelRegistry> {
  shared ??= (async () => {
    const registry = createKernelRegistry();
    // A variable specifier: @ferry/native is optional and must not be resolved at build time.
    const specifier = '@ferry/native';
    try {
      const native = (await import(specifier)) as { createNativeBackend?: () => KernelBackend };
      if (typeof native.createNativeBackend === 'function') registry.registerBackend(native.createNativeBackend(), '@ferry/native');
    } catch {
      // Not installed: the js kernels answer.
    }
    await registry.init();
    return registry;
  })();
  return shared;
}
