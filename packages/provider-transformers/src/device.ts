import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FerryError, type Logger } from '@ferry/core';
import ort from 'onnxruntime-node';
import { identityModelBytes } from './probe-model.js';
import type { TransformersDevice } from './transformers-config.js';

export interface CudaProbe {
  available: boolean;
  /** Why not, in onnxruntime's words. */
  reason?: string;
}

/** The N-API folder onnxruntime-node 1.x installs its binding in. */
const NAPI_VERSION = 6;

let cudaProbe: Promise<CudaProbe> | undefined;

/**
 * Whether onnxruntime-node can run a session on CUDA here: its binding must
 * list the provider and a one-node session must start on it (the provider
 * library and the CUDA runtime load at that moment). Probed once per process.
 */
export function probeCuda(): Promise<CudaProbe> {
  cudaProbe ??= (async (): Promise<CudaProbe> => {
    if (!ort.listSupportedBackends().some((b) => b.name === 'cuda')) {
      return { available: false, reason: 'this onnxruntime-node build has no CUDA execution provider' };
    }
    const missing = missingCudaLibrary();
    if (missing !== undefined) return { available: false, reason: `${missing} is not installed (onnxruntime-node's install script downloads it)` };
    try {
      const session = await ort.InferenceSession.create(identityModelBytes(), { executionProviders: ['cuda'], logSeverityLevel: 4 });
      await session.release();
      return { available: true };
    } catch (error) {
      return { available: false, reason: (error as Error).message };
    }
  })();
  return cudaProbe;
}

/**
 * The npm package ships the CPU build; the CUDA provider library sits beside
 * the binding only when onnxruntime-node's install script fetched it. Checking
 * the file first spares a failing session (and onnxruntime's error on stderr).
 * Where the binding folder is not where 1.x puts it, the session probe decides.
 */
function missingCudaLibrary(): string | undefined {
  const packageDir = dirname(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')));
  const bin = join(packageDir, 'bin', `napi-v${NAPI_VERSION}`, process.platform, process.arch);
  if (!existsSync(join(bin, 'onnxruntime_binding.node'))) return undefined;
  const library = join(bin, process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so');
  return existsSync(library) ? undefined : library;
}

/** `cpu` or `cuda`: `auto` falls back to CPU with a warning; an explicit `cuda` that cannot start is an error. */
export async function resolveDevice(requested: TransformersDevice, logger: Logger, ref: string): Promise<'cpu' | 'cuda'> {
  if (requested === 'cpu') return 'cpu';
  const probe = await probeCuda();
  if (probe.available) return 'cuda';
  if (requested === 'auto') {
    logger.warn(`CUDA is not available, running ${ref} on the CPU`, { reason: probe.reason });
    return 'cpu';
  }
  throw new FerryError('CONFIG_INVALID', `device "cuda" was asked for ${ref}, but onnxruntime-node cannot use CUDA here: ${probe.reason ?? 'unknown reason'}`, {
    field: 'device',
    hint: 'Use device "auto" to fall back to the CPU, or set device "cpu"; for CUDA, install onnxruntime-node with its CUDA 12 provider libraries (its install script downloads them) on a machine with an NVIDIA driver, CUDA 12 and cuDNN 9.',
    details: { reason: probe.reason },
  });
}
