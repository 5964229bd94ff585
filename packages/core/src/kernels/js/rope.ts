import { formatShape } from '../../tensor/tensor-shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { checkNumber, checkTensor, shapeError } from '../kernel-checks.js';
import type { RopeOptions } from '../kernel-types.js';

/**
 * Rotary embedding, HF "rotate_half" layout: dimension i pairs with i + D/2,
 * angle = position * theta^(-2i/D). Angles are computed in f64, so long
 * positions are more exact here than in f32 implementations (HF computes
 * inv_freq and the angles in f32).
 */
export function rope(x: Tensor, options: RopeOptions = {}): Tensor<'f32'> {
  return rotate('rope', 'x', x, options, 1);
}

/** The rotation is orthogonal, so its gradient is the rotation by the opposite angle. */
export function ropeBackward(dy: Tensor, options: RopeOptions = {}): Tensor<'f32'> {
  return rotate('ropeBackward', 'dy', dy, options, -1);
}

function rotate(kernel: string, field: string, x: Tensor, options: RopeOptions, direction: 1 | -1): Tensor<'f32'> {
  checkTensor(kernel, field, x, 'f32', [4]);
  const [batch, time, heads, dim] = x.shape as [number, number, number, number];
  if (dim % 2 !== 0) {
    throw shapeError(kernel, field, `${field} has shape ${formatShape(x.shape)}: the head dimension D = ${dim} must be even`, 'Use an even head dimension; rope rotates pairs (i, i + D/2).');
  }
  const { theta = 10000, positionOffset = 0 } = options;
  checkNumber(kernel, 'options.theta', theta, { above: 0 });
  checkNumber(kernel, 'options.positionOffset', positionOffset, { integer: true, min: 0 });
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
