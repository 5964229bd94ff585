import { Tensor } from '../../tensor/tensor.js';
import { rmsnormArgs, rmsnormBackwardArgs } from '../kernel-args/norm-args.js';
import type { RmsNormGrads, RmsNormOptions } from '../kernel-types.js';

export function rmsnorm(xInput: Tensor, gammaInput: Tensor, options: RmsNormOptions = {}): Tensor<'f32'> {
  const { x, gamma, rows, d, eps } = rmsnormArgs(xInput, gammaInput, options);
  const out = Tensor.zeros(x.shape, 'f32');
  for (let row = 0; row < rows; row++) {
    const base = row * d;
    const r = rowRsqrt(x.data, base, d, eps);
    for (let i = 0; i < d; i++) out.data[base + i] = x.data[base + i]! * r * gamma.data[i]!;
  }
  return out;
}

/** With r = 1 / rms, xhat = x * r and g = dy * gamma: dx = r * (g - xhat * mean(g * xhat)), dgamma = sum(dy * xhat). */
export function rmsnormBackward(xInput: Tensor, gammaInput: Tensor, dyInput: Tensor, options: RmsNormOptions = {}): RmsNormGrads {
  const { x, gamma, dy, rows, d, eps } = rmsnormBackwardArgs(xInput, gammaInput, dyInput, options);
  const dx = Tensor.zeros(x.shape, 'f32');
  const dgamma = new Float64Array(d);
  for (let row = 0; row < rows; row++) {
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

function rowRsqrt(data: Float32Array, base: number, d: number, eps: number): number {
  let sumSq = 0;
  for (let i = 0; i < d; i++) sumSq += data[base + i]! ** 2;
  return 1 / Math.sqrt(sumSq / d + eps);
}
