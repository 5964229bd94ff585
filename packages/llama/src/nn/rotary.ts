import { Tensor } from '@ferry/core';
import type { LlamaConfig, RopeScaling } from '../load/llama-config.js';
import type { ForwardContext } from './forward-context.js';

/** HF's inverse frequencies, with linear or llama3 scaling applied. */
export function ropeInverseFrequencies(headDim: number, theta: number, scaling: RopeScaling | null): Float64Array {
  const inv = new Float64Array(headDim / 2);
  for (let i = 0; i < inv.length; i++) inv[i] = 1 / theta ** ((2 * i) / headDim);
  if (scaling?.type === 'linear') return inv.map((f) => f / scaling.factor);
  if (scaling?.type === 'llama3') {
    const { factor, lowFreqFactor: low, highFreqFactor: high, originalMaxPositions: old } = scaling;
    const lowWavelen = old / low;
    const highWavelen = old / high;
    return inv.map((f) => {
      const wavelen = (2 * Math.PI) / f;
      if (wavelen < highWavelen) return f;
      if (wavelen > lowWavelen) return f / factor;
      const smooth = (old / wavelen - low) / (high - low);
      return (1 - smooth) * (f / factor) + smooth * f;
    });
  }
  return inv;
}

/**
 * Rotate-half rotary embedding of `[B, T, H, D]`. Unscaled RoPE goes through
 * the `rope` kernel; scaled RoPE (linear, llama3) needs per-frequency factors
 * the kernel contract does not take, so it is applied here.
 */
export class RotaryEmbedding {
  readonly inverseFrequencies: Float64Array;

  constructor(private readonly config: Pick<LlamaConfig, 'headDim' | 'ropeTheta' | 'ropeScaling'>) {
    this.inverseFrequencies = ropeInverseFrequencies(config.headDim, config.ropeTheta, config.ropeScaling);
  }

  async apply(x: Tensor<'f32'>, positionOffset: number, ctx: ForwardContext): Promise<Tensor<'f32'>> {
    if (this.config.ropeScaling === null) return ctx.kernels.rope(x, { theta: this.config.ropeTheta, positionOffset });
    return this.applyScaled(x, positionOffset);
  }

  private applyScaled(x: Tensor<'f32'>, positionOffset: number): Tensor<'f32'> {
    const [batch, time, heads, dim] = x.shape as [number, number, number, number];
    const half = dim / 2;
    const out = new Float32Array(x.size);
    const cos = new Float64Array(half);
    const sin = new Float64Array(half);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < time; t++) {
        const position = positionOffset + t;
        for (let i = 0; i < half; i++) {
          const angle = position * this.inverseFrequencies[i]!;
          cos[i] = Math.cos(angle);
          sin[i] = Math.sin(angle);
        }
        for (let h = 0; h < heads; h++) {
          const base = ((b * time + t) * heads + h) * dim;
          for (let i = 0; i < half; i++) {
            const x1 = x.data[base + i]!;
            const x2 = x.data[base + i + half]!;
            out[base + i] = x1 * cos[i]! - x2 * sin[i]!;
            out[base + i + half] = x2 * cos[i]! + x1 * sin[i]!;
          }
        }
      }
    }
    return new Tensor('f32', out, x.shape);
  }
}
