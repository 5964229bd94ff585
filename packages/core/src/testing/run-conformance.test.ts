import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error.js';
import { createJsBackend, jsKernels } from '../kernels/js/js-backend.js';
import type { KernelBackend } from '../kernels/kernel-registry.js';
import { KERNEL_NAMES, type KernelSet } from '../kernels/kernel-types.js';
import { Tensor } from '../tensor/tensor.js';
import { conformanceCases } from './conformance-cases.js';
import { formatConformanceReport } from './format-conformance-report.js';
import { runConformance } from './run-conformance.js';

function backendWith(name: string, kernels: Partial<KernelSet>, available: KernelBackend['available'] = () => true): KernelBackend {
  return { name, priority: 1, available, kernels };
}

/** Same math as the reference, in a different order with f32 rounding at every step, as a native kernel would. */
const f32Matmul: KernelSet['matmul'] = (a, b, options = {}) => {
  const reference = jsKernels.matmul(a, b, { ...options, alpha: 1, beta: 0, c: undefined });
  const out = Tensor.zeros(reference.shape);
  for (let i = 0; i < out.size; i++) {
    const product = Math.fround(Math.fround(reference.data[i]! * (1 + 3e-7)) * (options.alpha ?? 1));
    const c = options.c === undefined || options.beta === 0 ? 0 : Math.fround((options.beta ?? 1) * options.c.data[i]!);
    out.data[i] = Math.fround(product + c);
  }
  return out;
};

const f32Softmax: KernelSet['softmax'] = (x) => {
  const d = x.shape[x.rank - 1]!;
  const out = Tensor.zeros(x.shape);
  for (let row = 0; row < x.size / d; row++) {
    let max = -Infinity;
    for (let i = 0; i < d; i++) max = Math.max(max, x.data[row * d + i]!);
    let sum = 0;
    for (let i = d - 1; i >= 0; i--) {
      out.data[row * d + i] = Math.fround(Math.exp(x.data[row * d + i]! - max));
      sum = Math.fround(sum + out.data[row * d + i]!);
    }
    for (let i = 0; i < d; i++) out.data[row * d + i] = Math.fround(out.data[row * d + i]! / sum);
  }
  return out;
};

/** AdamW as a C loop over floats would do it: every intermediate rounded to f32. */
const f32Adamw: KernelSet['adamw'] = (param, grad, m, v, options) => {
  const f = Math.fround;
  const { lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.01, step } = options;
  const c1 = f(1 - f(beta1 ** step));
  const c2 = f(1 - f(beta2 ** step));
  for (let i = 0; i < param.size; i++) {
    const g = grad.data[i]!;
    m.data[i] = f(f(beta1 * m.data[i]!) + f(f(1 - beta1) * g));
    v.data[i] = f(f(beta2 * v.data[i]!) + f(f(f(1 - beta2) * g) * g));
    const p = f(param.data[i]! * f(1 - f(lr * weightDecay)));
    param.data[i] = f(p - f(f(lr * f(m.data[i]! / c1)) / f(f(Math.sqrt(f(v.data[i]! / c2))) + eps)));
  }
};

describe('conformance cases', () => {
  it('cover every kernel with uniquely named cases', () => {
    for (const kernel of KERNEL_NAMES) {
      const names = conformanceCases(kernel).map((c) => c.name);
      expect(names.length, kernel).toBeGreaterThanOrEqual(3);
      expect(new Set(names).size, kernel).toBe(names.length);
      expect(conformanceCases(kernel).every((c) => c.kernel === kernel)).toBe(true);
    }
  });

  it('put every matmul size in every position and use every transpose combination', () => {
    const plain = conformanceCases('matmul').map((c) => /^M=(\d+) K=(\d+) N=(\d+)( transA)?( transB)?$/.exec(c.name)).filter((m) => m !== null);
    for (const position of [1, 2, 3]) {
      expect(new Set(plain.map((m) => Number(m[position])))).toEqual(new Set([1, 3, 17, 33, 64, 65]));
    }
    expect(new Set(plain.map((m) => `${m[4] ?? ''}${m[5] ?? ''}`))).toEqual(new Set(['', ' transA', ' transB', ' transA transB']));
  });
});

describe('runConformance', () => {
  it('passes the js backend against itself, with zero error', async () => {
    const report = await runConformance(createJsBackend());
    expect(report.passed).toBe(true);
    expect(report.skipped).toEqual([]);
    expect(report.results.length).toBe(KERNEL_NAMES.reduce((n, k) => n + conformanceCases(k).length, 0));
    expect(report.results.every((r) => r.passed && r.maxAbsErr === 0)).toBe(true);
  });

  it('accepts a correct f32 implementation whose rounding differs from the reference', async () => {
    const report = await runConformance(backendWith('f32', { matmul: f32Matmul, softmax: f32Softmax, adamw: f32Adamw }));
    expect(formatConformanceReport(report)).toContain('PASSED');
    for (const kernel of ['matmul', 'softmax', 'adamw']) {
      expect(report.results.some((r) => r.kernel === kernel && r.maxAbsErr > 0), kernel).toBe(true);
    }
    expect(report.skipped).toHaveLength(KERNEL_NAMES.length - 3);
  });

  it('fails a matmul that is off by a small bias, naming kernel and cases', async () => {
    const biased: KernelSet['matmul'] = async (a, b, options) => {
      const out = jsKernels.matmul(a, b, options);
      for (let i = 0; i < out.size; i++) out.data[i]! += 1e-3;
      return out;
    };
    const report = await runConformance(backendWith('biased', { matmul: biased }));
    expect(report.passed).toBe(false);
    expect(report.results.every((r) => !r.passed && r.kernel === 'matmul')).toBe(true);
    const single = report.results.find((r) => r.case === 'M=1 K=3 N=1');
    expect(single?.error).toMatch(/^1 element outside tolerance; worst output\[0\]: got .*, expected /);
    expect(single?.maxAbsErr).toBeCloseTo(1e-3, 6);
    expect(formatConformanceReport(report)).toContain('FAIL matmul');
    expect(formatConformanceReport(report)).toContain('- M=1 K=3 N=1: 1 element outside tolerance');
  });

  it('fails a softmax that forgets to normalise', async () => {
    const unnormalised: KernelSet['softmax'] = (x) => {
      const out = Tensor.zeros(x.shape);
      const d = x.shape[x.rank - 1]!;
      for (let i = 0; i < x.size; i++) {
        const row = Math.floor(i / d) * d;
        out.data[i] = Math.exp(x.data[i]! - Math.max(...x.data.subarray(row, row + d)));
      }
      return out;
    };
    const report = await runConformance(backendWith('unnormalised', { softmax: unnormalised }));
    const failed = report.results.filter((r) => !r.passed).map((r) => r.case);
    // A row of one element is normalised either way.
    expect(failed).toEqual(conformanceCases('softmax').map((c) => c.name).filter((name) => !['[1]', '[64, 1]'].includes(name)));
  });

  it('fails an adamw that ignores weight decay, only on cases that decay', async () => {
    const noDecay: KernelSet['adamw'] = (param, grad, m, v, options) => jsKernels.adamw(param, grad, m, v, { ...options, weightDecay: 0 });
    const report = await runConformance(backendWith('no-decay', { adamw: noDecay }));
    const outcome = Object.fromEntries(report.results.map((r) => [r.case, r.passed]));
    expect(outcome).toEqual({
      '[1] lr=0.001 step=1': false,
      '[17] lr=0.01 weightDecay=0.1 step=10': false,
      '[3, 65] lr=0.005 beta1=0.8 beta2=0.99 eps=0.000001 step=3': false,
      '[64, 33] lr=0.001 weightDecay=0 step=1000': true,
    });
    expect(report.results[0]?.error).toContain('param[0]');
  });

  it('fails grouped-query attention that maps heads with h % Hkv, only on GQA cases', async () => {
    const wrongGroups: KernelSet['attention'] = (q, k, v, options) => {
      const [b, , hq, d] = q.shape as [number, number, number, number];
      const [, s, hkv] = k.shape as [number, number, number];
      // Build k/v with Hq heads where head h reads kv head h % Hkv, then run plain MHA.
      const expand = (x: Tensor): Tensor<'f32'> => {
        const out = Tensor.zeros([b, s, hq, d]);
        for (let row = 0; row < b * s; row++) {
          for (let h = 0; h < hq; h++) out.data.set(x.data.subarray((row * hkv + (h % hkv)) * d, (row * hkv + (h % hkv) + 1) * d), (row * hq + h) * d);
        }
        return out;
      };
      return jsKernels.attention(q, expand(k), expand(v), options);
    };
    const report = await runConformance(backendWith('wrong-groups', { attention: wrongGroups }));
    expect(report.results.filter((r) => !r.passed).map((r) => r.case)).toEqual([
      'GQA causal Hq=6 Hkv=2 T=S=17 D=16',
      'GQA KV cache, causal aligned to the end: T=3 S=17 Hq=4 Hkv=2 D=33',
    ]);
  });

  it('reports kernels that throw, return the wrong shape or dtype, or write to their inputs', async () => {
    const report = await runConformance(
      backendWith('broken', {
        silu: () => {
          throw new Error('addon not loaded');
        },
        gelu: (x) => Tensor.zeros([x.size + 1]),
        rope: ((x: Tensor) => Tensor.zeros(x.shape, 'i32')) as unknown as KernelSet['rope'],
        topkSimilarity: ((q: Tensor) => ({ indices: Tensor.zeros([q.shape[0]!, 1], 'i32') })) as unknown as KernelSet['topkSimilarity'],
        siluBackward: (x, dy) => {
          dy.data.fill(0);
          return jsKernels.siluBackward(x, dy);
        },
      }),
    );
    const firstError = (kernel: string) => report.results.find((r) => r.kernel === kernel)?.error;
    expect(firstError('silu')).toBe('threw: addon not loaded');
    expect(firstError('gelu')).toMatch(/^output has shape \[2\], expected \[1\]$/);
    expect(firstError('rope')).toBe('output has dtype i32, expected f32');
    expect(firstError('topkSimilarity')).toBe('scores should be a Tensor, got undefined');
    expect(report.results.filter((r) => r.kernel === 'siluBackward').every((r) => r.error?.includes('modified its input argument 2') || r.error?.includes('outside tolerance'))).toBe(true);
    expect(report.results.every((r) => !r.passed)).toBe(true);
  });

  it('fails NF4 packed low nibble first, int8 rounding toward zero, and top-k in ascending order', async () => {
    const swapped: KernelSet['quantizeNf4'] = async (x) => {
      const nf = await jsKernels.quantizeNf4(x);
      const packed = nf.packed.clone();
      for (let i = 0; i < packed.size; i++) packed.data[i] = ((packed.data[i]! & 0x0f) << 4) | (packed.data[i]! >> 4);
      return { ...nf, packed };
    };
    const truncating: KernelSet['quantizeInt8'] = async (x) => {
      const { q, scale } = await jsKernels.quantizeInt8(x);
      const cols = x.shape[1]!;
      for (let i = 0; i < q.size; i++) q.data[i] = Math.trunc(x.data[i]! / scale.data[Math.floor(i / cols)]!) || 0;
      return { q, scale };
    };
    const ascending: KernelSet['topkSimilarity'] = async (queries, matrix, options) => {
      const { indices, scores } = await jsKernels.topkSimilarity(queries, matrix, options);
      const k = indices.shape[indices.rank - 1]!;
      for (let row = 0; row < indices.size / k; row++) {
        indices.data.subarray(row * k, row * k + k).reverse();
        scores.data.subarray(row * k, row * k + k).reverse();
      }
      return { indices, scores };
    };
    const report = await runConformance(backendWith('wrong-formats', { quantizeNf4: swapped, quantizeInt8: truncating, topkSimilarity: ascending }));
    const failedCases = (kernel: string) => report.results.filter((r) => r.kernel === kernel && !r.passed).map((r) => r.case);
    // Bytes that read the same in either nibble order (all zeros; the lone [1] value here is negative,
    // code 0), truncation of a single +-127 value, and k=1 cannot show these bugs; every other case does.
    expect(failedCases('quantizeNf4')).toEqual(conformanceCases('quantizeNf4').map((c) => c.name).filter((n) => !['[1]', '[2, 64] all zeros'].includes(n)));
    expect(failedCases('quantizeInt8')).toEqual(conformanceCases('quantizeInt8').map((c) => c.name).filter((n) => n !== '[1, 1]'));
    expect(failedCases('topkSimilarity')).toEqual(conformanceCases('topkSimilarity').map((c) => c.name).filter((n) => n !== 'Q=2 N=33 D=8 k=1 dot'));
    expect(report.results.find((r) => r.kernel === 'quantizeNf4' && r.case === '[64]')?.error).toContain('code[');
  });

  it('reports an unavailable backend without running it', async () => {
    const report = await runConformance(backendWith('gpu', { matmul: jsKernels.matmul }, () => Promise.reject(new Error('no device'))));
    expect(report).toMatchObject({ available: false, reason: 'available() threw: no device', results: [], passed: false });
    expect(formatConformanceReport(report)).toContain('backend unavailable: available() threw: no device');
  });

  it('honours kernel filters and tolerance overrides, and rejects a malformed backend', async () => {
    const biased: KernelSet['silu'] = (x) => {
      const out = jsKernels.silu(x);
      for (let i = 0; i < out.size; i++) out.data[i]! += 1e-4;
      return out;
    };
    const backend = backendWith('loose', { silu: biased, gelu: jsKernels.gelu });
    const strict = await runConformance(backend, { kernels: ['silu'] });
    expect(strict.passed).toBe(false);
    expect(strict.skipped).toContain('gelu');
    const loose = await runConformance(backend, { kernels: ['silu'], tolerance: { silu: { abs: 1e-3, rel: 0 } } });
    expect(loose.passed).toBe(true);
    await expect(runConformance({ ...backend, kernels: { sigmoid: jsKernels.silu } as unknown as Partial<KernelSet> })).rejects.toSatisfy((error) =>
      isFerryError(error, 'KERNEL_BACKEND_INVALID'),
    );
  });
});
