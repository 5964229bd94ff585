import { Tensor } from '../../tensor/tensor.js';
import { layernormArgs, layernormBackwardArgs } from '../kernel-args/norm-args.js';
import type { LayerNormGrads, LayerNormOptions } from '../kernel-types.js';

interface RowStats {
  mean: number;
  rstd: number;
}

/** `(x - mean) / sqrt(var + eps) * gamma + beta` over the last dimension (biased variance, as PyTorch). */
export function layernorm(xInput: Tensor, gammaInput: Tensor, betaInput: Tensor, options: LayerNormOptions = {}): Tensor<'f32'> {
  const { x, gamma, beta, rows, d, eps } = layernormArgs(xInput, gammaInput, betaInput, options);
  const out = Tensor.zeros(x.shape, 'f32');
  for (let row = 0; row < rows; row++) {
    const base = row * d;
    const { mean, rstd } = rowStats(x.data, base, d, eps);
    for (let i = 0; i < d; i++) {
      out.data[base + i] = (x.data[base + i]! - mean) * rstd * gamma.data[i]! + beta.data[i]!;
    }
  }
  return out;
}

/**
 * With xhat the normalised input and g = dy * gamma:
 * dx = rstd * (g - mean(g) - xhat * mean(g * xhat)), dgamma = sum(dy * xhat), dbeta = sum(dy).
 */
export function layernormBackward(xInput: Tensor, gammaInput: Tensor, dyInput: Tensor, options: LayerNormOptions = {}): LayerNormGrads {
  const { x, gamma, dy, rows, d, eps } = layernormBackwardArgs(xInput, gammaInput, dyInput, options);
  const dx = Tensor.zeros(x.shape, 'f32');
  const dgamma = new Float64Array(d);
  const dbeta = new Float64Array(d);
  for (let row = 0; row < rows; row++) {
    const base = row * d;
    const { mean, rstd } = rowStats(x.data, base, d, eps);
    let meanG = 0;
    let meanGX = 0;
    for (let i = 0; i < d; i++) {
      const xhat = (x.data[base + i]! - mean) * rstd;
      const g = dy.data[base + i]! * gamma.data[i]!;
      meanG += g;
      meanGX += g * xhat;
      dgamma[i]! += dy.data[base + i]! * xhat;
      dbeta[i]! += dy.data[base + i]!;
    }
    meanG /= d;
    meanGX /= d;
    for (let i = 0; i < d; i++) {
      const xhat = (x.data[base + i]! - mean) * rstd;
      const g = dy.data[base + i]! * gamma.data[i]!;
      dx.data[base + i] = rstd * (g - meanG - xhat * meanGX);
    }
  }
  return { dx, dgamma: Tensor.from(Float32Array.from(dgamma)), dbeta: Tensor.from(Float32Array.from(dbeta)) };
}

function rowStats(data: Float32Array, base: number, d: number, eps: number): RowStats {
  let mean = 0;
  for (let i = 0; i < d; i++) mean += data[base + i]!;
  mean /= d;
  let variance = 0;
  for (let i = 0; i < d; i++) variance += (data[base + i]! - mean) ** 2;
  variance /= d;
  return { mean, rstd: 1 / Math.sqrt(variance + eps) };
}
