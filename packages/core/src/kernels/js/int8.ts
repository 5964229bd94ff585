import { Tensor } from '../../tensor/tensor.js';
import { dequantizeInt8Args, quantizeInt8Args } from '../kernel-args/int8-args.js';
import type { Int8Quantized } from '../kernel-types.js';

/**
 * Per-row symmetric absmax: scale = absmax / 127 (stored f32), q = round(x / scale)
 * with ties away from zero, so every value is reconstructed within half a step.
 */
export function quantizeInt8(input: Tensor): Int8Quantized {
  const { x, rows, cols } = quantizeInt8Args(input);
  const q = Tensor.zeros([rows, cols], 'i8');
  const scale = Tensor.zeros([rows], 'f32');
  for (let row = 0; row < rows; row++) {
    const base = row * cols;
    let absmax = 0;
    for (let i = 0; i < cols; i++) absmax = Math.max(absmax, Math.abs(x.data[base + i]!));
    scale.data[row] = absmax / 127;
    const s = scale.data[row]!;
    if (s === 0) continue;
    for (let i = 0; i < cols; i++) q.data[base + i] = roundToInt8(x.data[base + i]! / s);
  }
  return { q, scale };
}

export function dequantizeInt8(qInput: Tensor, scaleInput: Tensor): Tensor<'f32'> {
  const { q, scale, rows, cols } = dequantizeInt8Args(qInput, scaleInput);
  const out = Tensor.zeros([rows, cols], 'f32');
  for (let i = 0; i < q.size; i++) out.data[i] = q.data[i]! * scale.data[Math.floor(i / cols)]!;
  return out;
}

/** Round half away from zero, clamped to the symmetric range [-127, 127]. */
export function roundToInt8(value: number): number {
  const rounded = Math.sign(value) * Math.round(Math.abs(value));
  return Math.max(-127, Math.min(127, rounded));
}
