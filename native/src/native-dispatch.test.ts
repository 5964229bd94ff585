import { createRng, randomUniform, Tensor, type KernelSet } from '@ferry/core';
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

  // Decode shapes: up to 8 rows of op(A) take the unpacked path, whose kernels have their own k and column tails.
  it.each(supported)('%s gives few-row GEMMs within rounding of a float64 reference', async (isa) => {
    const rng = createRng(11);
    const nanC = Tensor.zeros([6, 37]);
    nanC.data.fill(Number.NaN);
    const cases: [Tensor, Tensor, MatmulCaseOptions][] = [
      [randomUniform(rng, [1, 77]), randomUniform(rng, [45, 77]), { transB: true }],
      [randomUniform(rng, [1, 1024]), randomUniform(rng, [600, 1024]), { transB: true }],
      [randomUniform(rng, [3, 300]), randomUniform(rng, [300, 70]), {}],
      [randomUniform(rng, [2, 1024]), randomUniform(rng, [1024, 300]), {}],
      [randomUniform(rng, [50, 2]), randomUniform(rng, [50, 33]), { transA: true }],
      [randomUniform(rng, [19, 4]), randomUniform(rng, [130, 19]), { transA: true, transB: true, alpha: 0.5, beta: 2, c: randomUniform(rng, [4, 130]) }],
      [randomUniform(rng, [6, 33]), randomUniform(rng, [37, 33]), { transB: true, alpha: -1.5, beta: 0, c: nanC }],
      [randomUniform(rng, [8, 40]), randomUniform(rng, [40, 21]), { beta: -1, c: randomUniform(rng, [8, 21]) }],
      [randomUniform(rng, [3, 1, 40]), randomUniform(rng, [40, 20]), {}],
      [randomUniform(rng, [2, 2, 17]), randomUniform(rng, [2, 19, 17]), { transB: true }],
      [randomUniform(rng, [2, 17, 1]), randomUniform(rng, [17, 9]), { transA: true }],
    ];
    setIsa(isa);
    for (const [a, b, options] of cases) {
      const result = await matmul(a, b, options);
      const reference = referenceMatmul(a, b, options);
      expect(result.shape).toEqual(reference.shape);
      let worst = 0;
      for (let i = 0; i < result.size; i++) worst = Math.max(worst, Math.abs(result.data[i]! - reference.data[i]!));
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

type MatmulCaseOptions = { transA?: boolean; transB?: boolean; alpha?: number; beta?: number; c?: Tensor };

/** alpha * op(a) @ op(b) + beta * c in float64, batched like the kernel (a 2-D b is shared). */
function referenceMatmul(a: Tensor, b: Tensor, { transA = false, transB = false, alpha = 1, beta, c }: MatmulCaseOptions): { shape: number[]; data: Float64Array } {
  const batch = a.rank === 3 ? a.shape[0]! : 1;
  const [a0, a1] = a.shape.slice(-2) as [number, number];
  const [b0, b1] = b.shape.slice(-2) as [number, number];
  const [m, k] = transA ? [a1, a0] : [a0, a1];
  const n = transB ? b0 : b1;
  const scale = beta ?? (c === undefined ? 0 : 1);
  const out = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const aOff = t * m * k;
    const bOff = b.rank === 3 ? t * k * n : 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += a.data[aOff + (transA ? p * m + i : i * k + p)]! * b.data[bOff + (transB ? j * k + p : p * n + j)]!;
        const at = (t * m + i) * n + j;
        out[at] = alpha * sum + (scale === 0 ? 0 : scale * c!.data[at]!);
      }
    }
  }
  return { shape: a.rank === 3 ? [batch, m, n] : [m, n], data: out };
}
