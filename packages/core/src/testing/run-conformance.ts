import { createJsBackend } from '../kernels/js/js-backend.js';
import { validateKernelBackend, type KernelBackend } from '../kernels/kernel-registry.js';
import { KERNEL_NAMES, type KernelName } from '../kernels/kernel-types.js';
import { createRng, hashSeed } from '../tensor/seeded-rng.js';
import { Tensor } from '../tensor/tensor.js';
import { conformanceCases } from './conformance-cases.js';
import type { AnyConformanceCase, ConformanceOptions, ConformanceReport, ConformanceResult } from './conformance-types.js';
import { ErrorTally } from './error-tally.js';
import { compareKernelOutput } from './kernel-comparisons.js';

type AnyKernel = (...args: unknown[]) => unknown;

/** Kernels that answer by updating some arguments: output name -> argument index. */
const IN_PLACE: Partial<Record<KernelName, Readonly<Record<string, number>>>> = {
  adamw: { param: 0, m: 2, v: 3 },
};

/**
 * Runs every conformance case of every kernel `backend` implements against
 * the reference (js by default) and reports each case. Never throws for a
 * failing kernel; throws a FerryError only when `backend` is malformed.
 */
export async function runConformance(backend: KernelBackend, options: ConformanceOptions = {}): Promise<ConformanceReport> {
  validateKernelBackend(backend);
  const kernels = kernelsToCheck(backend, options);
  const skipped = KERNEL_NAMES.filter((name) => !kernels.includes(name));
  const probe = await probeBackend(backend);
  if (!probe.available) {
    return { backend: backend.name, available: false, ...(probe.reason === undefined ? {} : { reason: probe.reason }), results: [], skipped, passed: false };
  }
  const results: ConformanceResult[] = [];
  for (const kernel of kernels) {
    for (const kernelCase of conformanceCases(kernel)) results.push(await runConformanceCase(backend, kernelCase, options));
  }
  return { backend: backend.name, available: true, results, skipped, passed: results.every((r) => r.passed) };
}

/** The kernels of `backend` that a run checks, in KERNEL_NAMES order. */
export function kernelsToCheck(backend: KernelBackend, options: ConformanceOptions = {}): KernelName[] {
  return KERNEL_NAMES.filter(
    (name) => typeof backend.kernels[name] === 'function' && (options.kernels === undefined || options.kernels.includes(name)),
  );
}

export async function probeBackend(backend: KernelBackend): Promise<{ available: boolean; reason?: string }> {
  try {
    return (await backend.available()) === true ? { available: true } : { available: false, reason: 'available() returned false' };
  } catch (error) {
    return { available: false, reason: `available() threw: ${messageOf(error)}` };
  }
}

/** One case: same seeded inputs to both backends (each gets its own copy), outputs compared. */
export async function runConformanceCase(
  backend: KernelBackend,
  kernelCase: AnyConformanceCase,
  options: ConformanceOptions = {},
): Promise<ConformanceResult> {
  const { kernel, name } = kernelCase;
  const tolerance = options.tolerance?.[kernel] ?? kernelCase.tolerance;
  const result = (error: string | undefined, tally = new ErrorTally()): ConformanceResult => ({
    kernel,
    case: name,
    passed: error === undefined,
    maxAbsErr: tally.maxAbsErr,
    maxRelErr: tally.maxRelErr,
    tolerance,
    ...(error === undefined ? {} : { error }),
  });
  const args: unknown[] = [...kernelCase.args(createRng(hashSeed(`${kernel}/${name}`, options.seed ?? 0)))];
  const reference = (options.reference ?? createJsBackend()).kernels[kernel] as AnyKernel | undefined;
  const implementation = backend.kernels[kernel] as AnyKernel | undefined;
  if (reference === undefined || implementation === undefined) {
    return result(`${reference === undefined ? 'the reference backend' : `backend "${backend.name}"`} does not implement ${kernel}`);
  }
  const referenceArgs = deepClone(args);
  let expected: unknown;
  try {
    expected = outputOf(kernel, referenceArgs, await reference(...referenceArgs));
  } catch (error) {
    return result(`the reference threw: ${messageOf(error)}`);
  }
  const backendArgs = deepClone(args);
  let actual: unknown;
  try {
    actual = outputOf(kernel, backendArgs, await implementation(...backendArgs));
  } catch (error) {
    return result(`threw: ${messageOf(error)}`);
  }
  let tally: ErrorTally;
  try {
    tally = compareKernelOutput(kernelCase, actual, expected, args, tolerance);
  } catch (error) {
    return result(`output could not be compared with the reference: ${messageOf(error)}`);
  }
  return result(tally.error ?? modifiedInput(kernel, args, backendArgs), tally);
}

function outputOf(kernel: KernelName, args: unknown[], returned: unknown): unknown {
  const inPlace = IN_PLACE[kernel];
  if (inPlace === undefined) return returned;
  return Object.fromEntries(Object.entries(inPlace).map(([output, index]) => [output, args[index]]));
}

/** Kernels must not write to their inputs (except the in-place outputs); says which one was written. */
function modifiedInput(kernel: KernelName, original: readonly unknown[], after: readonly unknown[]): string | undefined {
  const written = new Set(Object.values(IN_PLACE[kernel] ?? {}));
  const index = original.findIndex((value, i) => !written.has(i) && !deepEqual(value, after[i]));
  return index < 0 ? undefined : `modified its input argument ${index + 1}; kernels must return new tensors`;
}

function deepClone<T>(value: T): T {
  if (value instanceof Tensor) return value.clone() as T;
  if (Array.isArray(value)) return value.map(deepClone) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, deepClone(inner)])) as T;
  }
  return value;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a instanceof Tensor && b instanceof Tensor) {
    if (a.dtype !== b.dtype || a.size !== b.size) return false;
    for (let i = 0; i < a.size; i++) if (!Object.is(a.data[i], b.data[i])) return false;
    return true;
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
  }
  return Object.is(a, b);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
