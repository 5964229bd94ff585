import type { KernelBackend } from './kernel-registry.js';
import { createKernelRegistry, type KernelRegistry } from './kernel-registry.js';

let shared: Promise<KernelRegistry> | undefined;

/**
 * One process-wide registry for code that runs outside a plugin host (a
 * model loaded directly, a store opened by a script): the `js` kernels, plus
 * `native` when @ferry/native is installed and its addon built. The native
 * package is optional, so it is looked up at run time, never imported.
 */
export function defaultKernels(): Promise<KernelRegistry> {
  shared ??= (async () => {
    const registry = createKernelRegistry();
    // A variable specifier keeps bundlers and tsc from resolving it at build time.
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
