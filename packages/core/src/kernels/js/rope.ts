import { Tensor } from '../../tensor/tensor.js';
import { ropeArgs } from '../kernel-args/rope-args.js';
import type { RopeOptions } from '../kernel-types.js';

/**
 * Rotary embedding, HF "rotate_half" layout: dimension i pairs with i + D/2,
 * angle = position * theta^(-2i/D). Angles are computed in f64, so long
 * positions are more exact here than in f32 implementations (HF computes
 * inv_freq and the angles in f32).
 */
export function rope(x: Tensor, options: RopeOptions = {}): Tensor<'f32'> {
  return rotate('rope', x, options, 1);
}

/** The rotation is orthogonal, so its gradient is the rotation by the opposite angle. */
export function ropeBackward(dy: Tensor, options: RopeOptions = {}): Tensor<'f32'> {
  return rotate('ropeBackward', dy, options, -1);
}

function rotate(kernel: 'rope' | 'ropeBackward', input: Tensor, options: RopeOptions, direction: 1 | -1): Tensor<'f32'> {
  const { x, batch, time, heads, dim, theta, positionOffset } = ropeArgs(kernel, input, options);
  const half = dim / 2;
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  const out = Tensor.zeros(x.shape, 'f32');
  for (let t = 0; t < time; t++) {
    const position = t + positionOffset;
    for (let i = 0; i < half; i++) {
      const angle = position * theta ** ((-2 * i) / dim);
      cos[i] = Math.cos(angle);
      sin[i] = direction * Math.sin(angle);
    }
    for (let b = 0; b < batch; b++) {
      for (let h = 0; h < heads; h++) {
        const base = ((b * time + t) * heads + h) * dim;
        for (let i = 0; i < half; i++) {
          const x1 = x.data[base + i]!;
          const x2 = x.data[base + i + half]!;
          out.data[base + i] = x1 * cos[i]! - x2 * sin[i]!;
          out.data[base + i + half] = x2 * cos[i]! + x1 * sin[i]!;
        }
      }
    }
  }
  return out;
}
