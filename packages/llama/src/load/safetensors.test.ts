import { describe, expect, it } from 'vitest';
import { toF32 } from './safetensors.js';

function bytesOf(values: number[], width: 2 | 4): Uint8Array {
  const view = new DataView(new ArrayBuffer(values.length * width));
  values.forEach((v, i) => (width === 2 ? view.setUint16(i * 2, v, true) : view.setFloat32(i * 4, v, true)));
  return new Uint8Array(view.buffer);
}

describe('toF32', () => {
  it('widens f16 exactly: normals, subnormals, zero signs, infinities, NaN', () => {
    const out = toF32(bytesOf([0x3c00, 0xc000, 0x0001, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x7bff], 2), 'F16');
    expect([...out.slice(0, 6)]).toEqual([1, -2, 2 ** -24, -0, Infinity, -Infinity]);
    expect(out[6]).toBeNaN();
    expect(out[7]).toBe(65504);
  });

  it('widens bf16 as the high half of an f32', () => {
    expect([...toF32(bytesOf([0x3f80, 0xc040, 0x3e20], 2), 'BF16')]).toEqual([1, -3, 0.15625]);
  });

  it('reads little-endian f32, aligned or not', () => {
    const aligned = bytesOf([1.5, -2.25], 4);
    expect([...toF32(aligned, 'F32')]).toEqual([1.5, -2.25]);
    const shifted = new Uint8Array(9);
    shifted.set(aligned, 1);
    expect([...toF32(shifted.subarray(1), 'F32')]).toEqual([1.5, -2.25]);
  });
});
