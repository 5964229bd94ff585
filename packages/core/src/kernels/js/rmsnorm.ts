import { Tensor } from '../../tensor/tensor.js';
import { checkNumber, checkShapeEquals, checkTensor, lastDim } from '../kernel-checks.js';
import type { RmsNormGrads, RmsNormOptions } from '../kernel-types.js';

export function rmsnorm(x: Tensor, gamma: Tensor, options: RmsNormOptions = {}): Tensor<'f32'> {
  checkTensor('rmsnorm', 'x', x, 'f32');
  checkTensor('rmsnorm', 'gamma', gamma, 'f32');
  const { d, eps } = check('rmsnorm', x, gamma, options);
  const out = Tensor.zeros(x.shape, 'f32');
  for (let row = 0; row < x.size / d; row++) {
    const base = row * d;
    const r = rowRsqrt(x.data, base, d, eps);
    for (let i = 0; i < d; i++) out.data[base + i] = x.data[base + i]! * r * gamma.data[i]!;
  }
  return out;
}

/** With r = 1 / rms, xhat = x * r and g = dy * gamma: dx = r * (g - xhat * mean(g * xhat)), dgamma = sum(dy * xhat). */
export function rmsnormBackward(x: Tensor, gamma: Tensor, dy: Tensor, options: RmsNormOptions = {}): RmsNormGrads {
  checkTensor('rmsnormBackward', 'x', x, 'f32');
  checkTensor('rmsnormBackward', 'gamma', gamma, 'f32');
  checkTensor('rmsnormBackward', 'dy', dy, 'f32');
  const { d, eps } = check('rmsnormBackward', x, gamma, options);
  checkShapeEquals('rmsnormBackward', 'dy', dy, x.shape, 'the gradient has the shape of x');
  const dx = Tensor.zeros(x.shape, 'f32');
  const dgamma = new Float64Array(d);
  for (let row = 0; row < x.size / d; row++) {
    const base = row * d;
    const r = rowRsqrt(x.data, base, d, eps);
    let meanGX = 0;
    for (let i = 0; i < d; i++) {
      const xhat = x.data[base + i]! * r;
      meanGX += dy.data[base + i]! * gamma.data[i]! * xhat;
      dgamma[i]! += dy.data[base + i]! * xhat;
    }
    meanGX /= d;
    for (let i = 0; i < d; i++) {
      const xhat = x.data[base + i]! * r;
      dx.data[base + i] = r * (dy.data[base + i]! * gamma.data[i]! - xhat * meanGX);
    }
  }
  return { dx, dgamma: Tensor.from(Float32Array.from(dgamma)) };
}

function check(kernel: string, x: Tensor, gamma: Tensor, options: RmsNormOptions): { d: number; eps: number } {
  const d = lastDim(kernel, 'x', x);
  checkShapeEquals(kernel, 'gamma', gamma, [d], 'one scale per element of the last dimension of x');
  const eps = options.eps ?? 1e-6;
  checkNumber(kernel, 'options.eps', eps, { min: 0 });
  return { d, eps };
}

function rowRsqrt(data: Float32Array, base: number, d: number, eps: number): number {
  let sumSq = 0;
  for (let i = 0; i < d; i++) sumSq += data[base + i]! ** 2;
  return 1 / Math.sqrt(sumSq / d + eps);
}
