import type { KernelBackend } from '../kernels/kernel-registry.js';
import type { KernelName, KernelSet } from '../kernels/kernel-types.js';
import type { Rng } from '../tensor/seeded-rng.js';

/** An element passes when |actual - expected| <= abs + rel * |expected| (numpy allclose). */
export interface Tolerance {
  abs: number;
  rel: number;
}

export interface ConformanceCase<K extends KernelName = KernelName> {
  kernel: K;
  /** Unique within the kernel; says what is special about the case (shape, options). */
  name: string;
  tolerance: Tolerance;
  /** Tolerances for some outputs, by field name (`count`, `absmaxMean`). */
  fieldTolerance?: Readonly<Record<string, Tolerance>>;
  /** The arguments, drawn from the case's own seeded RNG. */
  args(rng: Rng): Parameters<KernelSet[K]>;
}

export type AnyConformanceCase = { [K in KernelName]: ConformanceCase<K> }[KernelName];

export interface ConformanceOptions {
  /** Base seed; each case mixes in its own name. Default 0. */
  seed?: number;
  /** Only these kernels (default: every kernel the backend implements). */
  kernels?: readonly KernelName[];
  /** Replaces a kernel's default tolerance (e.g. for a bf16 GPU backend). */
  tolerance?: Partial<Record<KernelName, Tolerance>>;
  /** What to compare against; default the js reference backend. */
  reference?: KernelBackend;
}

export interface ConformanceResult {
  kernel: KernelName;
  case: string;
  passed: boolean;
  /** Largest |actual - expected| over every compared element. */
  maxAbsErr: number;
  /** Largest |actual - expected| / |expected| over elements with |expected| > tolerance.abs. */
  maxRelErr: number;
  tolerance: Tolerance;
  /** Why it failed: the worst element, a shape mismatch, an exception, a modified input. */
  error?: string;
}

export interface ConformanceReport {
  backend: string;
  available: boolean;
  /** Why the backend is unavailable, from its probe. */
  reason?: string;
  results: ConformanceResult[];
  /** Kernels not checked: the backend does not implement them, or options.kernels left them out. */
  skipped: KernelName[];
  passed: boolean;
}
