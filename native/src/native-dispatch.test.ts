import { createRng, randomUniform, type KernelSet, type Tensor } from '@ferry/core';
import { afterAll, describe, expect, it } from 'vitest';
import { cpuFeatures, createNativeBackend, nativeBuildStatus, setIsa, setNumThreads } from './native-backend.js';
import type { IsaPath } from './native-addon.js';

const features = cpuFeatures();
const PATHS: IsaPath[] = ['scalar', 'avx2', 'avx512'];

describe.runIf(nativeBuildStatus().loaded)('native ISA dispatch', () => {
  const detected = features?.detected ?? 'scalar';
  const supported = PATHS.slice(0, PATHS.indexOf(detected) + 1);
  const matmul = createNativeBackend().kernels.matmul as KernelSet['matmul'];

  afterAll(() => {
    setIsa(detected);
  });

  it('uses the best path the CPU has unless FERRY_NATIVE_ISA lowers it', () => {
    expect(features?.active).toBe(process.env.FERRY_NATIVE_ISA ?? detected);
    expect(features?.threads).toBeGreaterThanOrEqual(1);
  });

  it('refuses a path the CPU lacks', () => {
    const missing = PATHS.find((p) => !supported.includes(p));
    if (missing) expect(() => setIsa(missing)).toThrow(/no .* path/);
  });

  // Odd sizes exercise the edge tiles of every micro-kernel; sizes above the blocking exercise the K loop.
  it.each(supported)('%s gives the same GEMM results as scalar', async (isa) => {
    const rng = createRng(7);
    const cases: [Tensor, Tensor, { transA?: boolean; transB?: boolean; alpha?: number; beta?: number; c?: Tensor }][] = [
      [randomUniform(rng, [37, 301]), randomUniform(rng, [301, 45]), {}],
      [randomUniform(rng, [300, 29]), randomUniform(rng, [70, 300]), { transA: true, transB: true, alpha: 0.5, beta: 2, c: randomUniform(rng, [29, 70]) }],
      [randomUniform(rng, [3, 130, 520]), randomUniform(rng, [520, 65]), { transB: false }],
    ];
    for (const [a, b, options] of cases) {
      setIsa('scalar');
      const reference = await matmul(a, b, options);
      setIsa(isa);
      const result = await matmul(a, b, options);
      expect(result.shape).toEqual(reference.shape);
      let worst = 0;
      for (let i = 0; i < result.size; i++) worst = Math.max(worst, Math.abs(result.data[i]! - reference.data[i]!));
      // Same products, different summation order and FMA rounding.
      expect(worst).toBeLessThan(1e-3);
    }
  });

  it('gives the same GEMM results on one thread as on the whole pool', async () => {
    const rng = createRng(3);
    const a = randomUniform(rng, [300, 200]);
    const b = randomUniform(rng, [200, 260]);
    const pooled = await matmul(a, b);
    expect(setNumThreads(1)).toBe(1);
    try {
      const single = await matmul(a, b);
      // Each output element is computed by one thread in the same order either way.
      expect(Array.from(single.data)).toEqual(Array.from(pooled.data));
    } finally {
      setNumThreads(features?.threads ?? 1);
    }
    expect(() => setNumThreads(0)).toThrow(/threads must be/);
  });
});
