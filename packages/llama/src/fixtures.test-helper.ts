import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createKernelRegistry, type KernelBackend, type KernelRegistry } from '@ferry/core';

export const FIXTURES = fileURLToPath(new URL('../../../fixtures/llama/', import.meta.url));
export const TINY_LLAMA = `${FIXTURES}tiny-llama`;
export const TINY_QWEN2_BF16 = `${FIXTURES}tiny-qwen2-bf16`;
export const TINY_LLAMA3_F16 = `${FIXTURES}tiny-llama3-f16`;

export interface Reference {
  prompts: { ids: number[]; logits: number[][]; greedy: number[] }[];
}

export function reference(folder: string): Reference {
  return JSON.parse(readFileSync(`${folder}/reference.json`, 'utf8')) as Reference;
}

/** js only. */
export function jsKernels(): KernelRegistry {
  return createKernelRegistry();
}

/** js + native, or undefined when the addon is not built (tests skip). */
export async function nativeKernels(): Promise<KernelRegistry | undefined> {
  try {
    const native = (await import('@ferry/native')) as { createNativeBackend: () => KernelBackend; nativeBuildStatus: () => { loaded: boolean } };
    if (!native.nativeBuildStatus().loaded) return undefined;
    const registry = createKernelRegistry();
    registry.registerBackend(native.createNativeBackend(), '@ferry/native');
    await registry.init();
    return registry.backendFor('matmul') === 'native' ? registry : undefined;
  } catch {
    return undefined;
  }
}

export function maxAbsDiff(actual: Float32Array, expected: readonly number[]): number {
  let max = 0;
  expected.forEach((value, i) => {
    max = Math.max(max, Math.abs(actual[i]! - value));
  });
  return max;
}
