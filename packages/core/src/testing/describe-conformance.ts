import { validateKernelBackend, type KernelBackend } from '../kernels/kernel-registry.js';
import { conformanceCases } from './conformance-cases.js';
import type { ConformanceOptions } from './conformance-types.js';
import { kernelsToCheck, probeBackend, runConformanceCase } from './run-conformance.js';

/**
 * The two functions of a test runner this needs. Passing vitest's (or
 * jest's, or node:test's) keeps @ferry/core free of a runtime test dependency.
 */
export interface TestRegistrar {
  describe: (name: string, fn: () => void) => unknown;
  it: (name: string, fn: () => Promise<void>) => unknown;
}

/**
 * Registers one test per conformance case, grouped by kernel, so a plugin's
 * test file needs one line:
 *
 *   describeConformance(myBackend, { describe, it });
 */
export function describeConformance(backend: KernelBackend, runner: TestRegistrar, options: ConformanceOptions = {}): void {
  validateKernelBackend(backend);
  const kernels = kernelsToCheck(backend, options);
  let probe: ReturnType<typeof probeBackend> | undefined;
  runner.describe(`kernel conformance: ${backend.name}`, () => {
    if (kernels.length === 0) {
      runner.it('implements at least one kernel', async () => {
        throw new Error(`backend "${backend.name}" implements none of the kernels to check`);
      });
    }
    for (const kernel of kernels) {
      runner.describe(kernel, () => {
        for (const kernelCase of conformanceCases(kernel)) {
          runner.it(kernelCase.name, async () => {
            probe ??= probeBackend(backend);
            const { available, reason } = await probe;
            if (!available) throw new Error(`backend "${backend.name}" is unavailable: ${reason ?? 'its probe said no'}`);
            const result = await runConformanceCase(backend, kernelCase, options);
            if (!result.passed) {
              const { abs, rel } = result.tolerance;
              throw new Error(`${kernel} / ${kernelCase.name}: ${result.error ?? 'failed'} (tolerance abs ${abs}, rel ${rel}; max abs err ${result.maxAbsErr}, max rel err ${result.maxRelErr})`);
            }
          });
        }
      });
    }
  });
}
