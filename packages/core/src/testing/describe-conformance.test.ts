import { describe, expect, it } from 'vitest';
import { createJsBackend, jsKernels } from '../kernels/js/js-backend.js';
import type { KernelBackend } from '../kernels/kernel-registry.js';
import type { KernelSet } from '../kernels/kernel-types.js';
import { conformanceCases } from './conformance-cases.js';
import { describeConformance, type TestRegistrar } from './describe-conformance.js';

interface Collected {
  path: string[];
  fn: () => Promise<void>;
}

/** A registrar that records the tree instead of running it. */
function collect(backend: KernelBackend, options?: Parameters<typeof describeConformance>[2]): Collected[] {
  const tests: Collected[] = [];
  const stack: string[] = [];
  const runner: TestRegistrar = {
    describe: (name, fn) => {
      stack.push(name);
      fn();
      stack.pop();
    },
    it: (name, fn) => tests.push({ path: [...stack, name], fn }),
  };
  describeConformance(backend, runner, options);
  return tests;
}

async function outcome(test: Collected): Promise<string> {
  try {
    await test.fn();
    return 'passed';
  } catch (error) {
    return (error as Error).message;
  }
}

// The one line a plugin author writes, here with the js backend and a few kernels.
describeConformance(createJsBackend(), { describe, it }, { kernels: ['softmax', 'attention', 'quantizeNf4'] });

describe('describeConformance', () => {
  it('registers one test per case, grouped by backend and kernel', () => {
    const tests = collect({ name: 'mine', priority: 1, available: () => true, kernels: { rope: jsKernels.rope, silu: jsKernels.silu } });
    expect(tests.map((t) => t.path)).toEqual([
      ...conformanceCases('rope').map((c) => ['kernel conformance: mine', 'rope', c.name]),
      ...conformanceCases('silu').map((c) => ['kernel conformance: mine', 'silu', c.name]),
    ]);
  });

  it('fails the tests of a wrong kernel with the case, the worst element and the tolerance', async () => {
    const shifted: KernelSet['gelu'] = (x) => {
      const out = jsKernels.gelu(x);
      out.data[0]! += 0.01;
      return out;
    };
    const tests = collect({ name: 'shifted', priority: 1, available: () => true, kernels: { gelu: shifted } });
    const messages = await Promise.all(tests.map(outcome));
    expect(messages[0]).toMatch(/^gelu \/ \[1\] in \+-6: 1 element outside tolerance; worst output\[0\]: got .+, expected .+ \(tolerance abs 0\.000001, rel 0\.00001; max abs err 0\.01/);
    expect(messages.every((m) => m.startsWith('gelu / '))).toBe(true);
  });

  it('fails every test of an unavailable backend with its reason', async () => {
    const tests = collect({ name: 'gpu', priority: 1, available: () => false, kernels: { silu: jsKernels.silu } });
    const messages = await Promise.all(tests.map(outcome));
    expect(new Set(messages)).toEqual(new Set(['backend "gpu" is unavailable: available() returned false']));
  });

  it('fails a backend that implements nothing to check', async () => {
    const tests = collect({ name: 'empty', priority: 1, available: () => true, kernels: {} });
    expect(tests.map((t) => t.path)).toEqual([['kernel conformance: empty', 'implements at least one kernel']]);
    expect(await outcome(tests[0]!)).toContain('implements none of the kernels');
  });
});
