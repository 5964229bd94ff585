import { FerryError } from '../errors/ferry-error.js';
import { isKernelName, KERNEL_NAMES, type KernelName, type KernelSet } from './kernel-types.js';
import { createJsBackend } from './js/js-backend.js';

/** A set of kernel implementations that a plugin registers under one name. */
export interface KernelBackend {
  /** Unique in a registry: `js`, `native`, `cuda`, `acme-avx512`. */
  name: string;
  /** Higher wins when several available backends implement a kernel; `js` is 0. */
  priority: number;
  /**
   * Whether this machine can run the backend (addon built, GPU present). Throw an
   * Error whose message says why not: `ferry doctor` shows it.
   */
  available(): boolean | Promise<boolean>;
  kernels: Partial<KernelSet>;
  description?: string;
}

/** One backend as `ferry doctor` and `ferry plugins` show it. */
export interface BackendInfo {
  name: string;
  priority: number;
  /** False while an async probe is still running (see `reason`); `init()` waits for them. */
  available: boolean;
  reason?: string;
  kernels: KernelName[];
  /** The plugin that registered it (`app` when registered directly). */
  owner: string;
  description?: string;
}

/** Every kernel as an async function dispatched through the registry. */
export type KernelOps = {
  readonly [K in KernelName]: (...args: Parameters<KernelSet[K]>) => Promise<Awaited<ReturnType<KernelSet[K]>>>;
};

type Probe =
  | { state: 'unprobed' }
  | { state: 'pending'; settled: Promise<void> }
  | { state: 'done'; available: boolean; reason?: string };

interface Entry {
  backend: KernelBackend;
  owner: string;
  probe: Probe;
}

/**
 * Picks, per kernel, the highest-priority available backend that implements
 * it (ties: the one registered first). Availability is probed lazily, once per
 * backend; a probe that throws or rejects marks the backend unavailable and
 * keeps the reason.
 */
export class KernelRegistry {
  /** `await registry.ops.matmul(a, b)`: waits for probes, then calls the chosen backend. */
  readonly ops: KernelOps;
  private readonly entries = new Map<string, Entry>();
  private readonly forced = new Map<KernelName, string>();

  constructor() {
    this.ops = buildOps(this);
  }

  registerBackend(backend: KernelBackend, owner = 'app'): void {
    validateKernelBackend(backend, owner);
    const existing = this.entries.get(backend.name);
    if (existing) {
      throw new FerryError('KERNEL_BACKEND_INVALID', `kernel backend "${backend.name}" is already registered by "${existing.owner}"`, {
        plugin: owner,
        field: 'backend.name',
        hint: `Give the backend another name, or remove one of the two plugins that both register "${backend.name}".`,
      });
    }
    this.entries.set(backend.name, { backend, owner, probe: { state: 'unprobed' } });
  }

  /** Probes every backend and waits for async probes; call once at startup. */
  async init(): Promise<BackendInfo[]> {
    await Promise.all([...this.entries.values()].map((entry) => this.settle(entry)));
    return this.listBackends();
  }

  /**
   * The implementation `name` dispatches to now. Synchronous, so it throws if a
   * higher-priority backend is still probing asynchronously: `await init()`
   * first, or use `resolve` / `ops`, which wait.
   */
  get<K extends KernelName>(name: K): KernelSet[K] {
    const entry = this.pick(name);
    return entry.backend.kernels[name] as KernelSet[K];
  }

  /** Like `get`, after waiting for the probes that could matter. */
  async resolve<K extends KernelName>(name: K): Promise<KernelSet[K]> {
    checkKernelName(name);
    await Promise.all(this.candidates(name).map((entry) => this.settle(entry)));
    return this.get(name);
  }

  /** Name of the backend that serves `name` (same rules as `get`). */
  backendFor(name: KernelName): string {
    return this.pick(name).backend.name;
  }

  /** Backends by descending priority; starts synchronous probes, reports async ones as pending. */
  listBackends(): BackendInfo[] {
    return this.ordered().map((entry) => {
      const { backend, owner } = entry;
      const state = this.probe(entry);
      const reason =
        state.state === 'pending' ? 'availability probe still running: await registry.init() first' : state.state === 'done' ? state.reason : undefined;
      return {
        name: backend.name,
        priority: backend.priority,
        available: state.state === 'done' && state.available,
        ...(reason === undefined ? {} : { reason }),
        kernels: KERNEL_NAMES.filter((name) => typeof backend.kernels[name] === 'function'),
        owner,
        ...(backend.description === undefined ? {} : { description: backend.description }),
      };
    });
  }

  /**
   * Forces `kernel` onto `backendName` (for benchmarks and conformance runs)
   * whatever the priorities; `null` returns it to automatic choice.
   */
  use(kernel: KernelName, backendName: string | null): void {
    checkKernelName(kernel);
    if (backendName === null) {
      this.forced.delete(kernel);
      return;
    }
    const entry = this.entries.get(backendName);
    if (!entry) {
      throw new FerryError('KERNEL_NOT_FOUND', `no kernel backend named "${backendName}" is registered`, {
        field: 'backendName',
        hint: `Use one of: ${[...this.entries.keys()].join(', ')}.`,
      });
    }
    if (typeof entry.backend.kernels[kernel] !== 'function') {
      throw new FerryError('KERNEL_NOT_FOUND', `backend "${backendName}" does not implement "${kernel}"`, {
        field: 'kernel',
        hint: `Backends that do: ${this.candidates(kernel).map((e) => e.backend.name).join(', ') || '(none)'}.`,
      });
    }
    this.forced.set(kernel, backendName);
  }

  private pick(name: KernelName): Entry {
    checkKernelName(name);
    const forced = this.forced.get(name);
    const candidates = forced === undefined ? this.candidates(name) : [this.entries.get(forced)!];
    const skipped: string[] = [];
    for (const entry of candidates) {
      const probe = this.probe(entry);
      if (probe.state === 'pending') {
        throw new FerryError('KERNEL_NOT_FOUND', `cannot choose a backend for "${name}" yet: backend "${entry.backend.name}" is still probing its availability`, {
          field: 'name',
          hint: 'await registry.init() once at startup, or call kernels through registry.ops / registry.resolve(), which wait for probes.',
        });
      }
      if (probe.state === 'done' && probe.available) return entry;
      skipped.push(`${entry.backend.name} (${probe.state === 'done' ? probe.reason : 'unprobed'})`);
    }
    if (forced !== undefined) {
      throw new FerryError('KERNEL_BACKEND_INVALID', `"${name}" is forced onto backend ${skipped.join('')}, which is unavailable`, {
        field: 'name',
        hint: `Call registry.use('${name}', null) to return to automatic choice, or fix the backend (see ferry doctor).`,
      });
    }
    throw new FerryError('KERNEL_NOT_FOUND', `no available backend implements "${name}"${skipped.length > 0 ? `; unavailable: ${skipped.join(', ')}` : ''}`, {
      field: 'name',
      hint: 'Register the js reference backend (createKernelRegistry() does), or fix the backend that implements it (see ferry doctor).',
    });
  }

  private candidates(name: KernelName): Entry[] {
    return this.ordered().filter((entry) => typeof entry.backend.kernels[name] === 'function');
  }

  private ordered(): Entry[] {
    // Array.prototype.sort is stable, so equal priorities keep registration order.
    return [...this.entries.values()].sort((a, b) => b.backend.priority - a.backend.priority);
  }

  private probe(entry: Entry): Probe {
    if (entry.probe.state !== 'unprobed') return entry.probe;
    let answer: unknown;
    try {
      answer = entry.backend.available();
    } catch (error) {
      entry.probe = { state: 'done', available: false, reason: `available() threw: ${messageOf(error)}` };
      return entry.probe;
    }
    if (isThenable(answer)) {
      entry.probe = {
        state: 'pending',
        settled: Promise.resolve(answer).then(
          (value: unknown) => {
            entry.probe = verdict(value);
          },
          (error: unknown) => {
            entry.probe = { state: 'done', available: false, reason: `available() rejected: ${messageOf(error)}` };
          },
        ),
      };
      return entry.probe;
    }
    entry.probe = verdict(answer);
    return entry.probe;
  }

  private async settle(entry: Entry): Promise<void> {
    const probe = this.probe(entry);
    if (probe.state === 'pending') await probe.settled;
  }
}

/** A registry with the `js` reference backend (priority 0) already registered. */
export function createKernelRegistry(): KernelRegistry {
  const registry = new KernelRegistry();
  registry.registerBackend(createJsBackend(), '@ferry/core');
  return registry;
}

/** Throws a FerryError naming the field when `backend` does not have the KernelBackend shape. */
export function validateKernelBackend(backend: KernelBackend, owner = 'app'): void {
  const fail = (field: string, message: string, hint: string): never => {
    throw new FerryError('KERNEL_BACKEND_INVALID', message, { plugin: owner, field, hint });
  };
  if (backend === null || typeof backend !== 'object') {
    fail('backend', 'a kernel backend must be an object', 'Pass { name, priority, available, kernels }.');
  }
  if (typeof backend.name !== 'string' || !/^[\w.@/-]+$/.test(backend.name)) {
    fail('backend.name', `kernel backend name ${JSON.stringify(backend.name)} is invalid`, 'Use a non-empty name without spaces, e.g. "native" or "acme-avx512".');
  }
  const label = `kernel backend "${backend.name}"`;
  if (typeof backend.priority !== 'number' || !Number.isFinite(backend.priority)) {
    fail('backend.priority', `${label} has priority ${String(backend.priority)}`, 'Set priority to a finite number; js is 0, higher wins.');
  }
  if (typeof backend.available !== 'function') {
    fail('backend.available', `${label} has no available() probe`, 'Add available: () => true, or a probe that checks the machine.');
  }
  if (backend.kernels === null || typeof backend.kernels !== 'object') {
    fail('backend.kernels', `${label} has no kernels object`, 'Set kernels to an object mapping kernel names to functions.');
  }
  for (const [name, fn] of Object.entries(backend.kernels)) {
    if (!isKernelName(name)) {
      const close = KERNEL_NAMES.find((known) => known.toLowerCase() === name.toLowerCase());
      fail(`backend.kernels.${name}`, `${label} registers unknown kernel "${name}"`, close ? `Did you mean "${close}"?` : `Known kernels: ${KERNEL_NAMES.join(', ')}.`);
    }
    if (fn !== undefined && typeof fn !== 'function') {
      fail(`backend.kernels.${name}`, `${label}: kernel "${name}" is ${typeof fn}, not a function`, 'Map every kernel name to its implementation function, or leave it out (undefined).');
    }
  }
  if (backend.description !== undefined && typeof backend.description !== 'string') {
    fail('backend.description', `${label} has a description that is not a string`, 'Use a one-line string, or leave it out.');
  }
}

function checkKernelName(name: string): asserts name is KernelName {
  if (!isKernelName(name)) {
    throw new FerryError('KERNEL_NOT_FOUND', `"${name}" is not a kernel`, {
      field: 'name',
      hint: `Use one of: ${KERNEL_NAMES.join(', ')}.`,
    });
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

function verdict(value: unknown): Probe {
  if (value === true) return { state: 'done', available: true };
  return {
    state: 'done',
    available: false,
    reason: value === false ? 'available() returned false' : `available() returned ${String(value)}, not a boolean`,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function buildOps(registry: KernelRegistry): KernelOps {
  const ops: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name of KERNEL_NAMES) {
    ops[name] = async (...args) => {
      const kernel = (await registry.resolve(name)) as (...kernelArgs: unknown[]) => unknown;
      return kernel(...args);
    };
  }
  return Object.freeze(ops) as unknown as KernelOps;
}
