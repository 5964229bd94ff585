import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor } from '@ferry/core';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, readSafetensors, readSafetensorsHeader, readTensorF32, toF32 } from './read-safetensors.js';
import { encodeSafetensors, writeSafetensors } from './write-safetensors.js';

const dir = mkdtempSync(join(tmpdir(), 'ferry-safetensors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bytesOf(values: number[], width: 2 | 4): Uint8Array {
  const view = new DataView(new ArrayBuffer(values.length * width));
  values.forEach((v, i) => (width === 2 ? view.setUint16(i * 2, v, true) : view.setFloat32(i * 4, v, true)));
  return new Uint8Array(view.buffer);
}

/** A file as PyTorch writes a half-precision tensor (the writer only emits Ferry's own dtypes). */
function halfFile(dtype: 'F16' | 'BF16', bits: number[]): Uint8Array {
  const json = JSON.stringify({ h: { dtype, shape: [bits.length], data_offsets: [0, bits.length * 2] } });
  const out = new Uint8Array(8 + json.length + bits.length * 2);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(Buffer.from(json), 8);
  out.set(bytesOf(bits, 2), 8 + json.length);
  return out;
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

describe('safetensors files', () => {
  it('writes the documented layout and decodes it back, integer dtypes kept', () => {
    const bytes = encodeSafetensors({ b: Tensor.from([1, 2, 3], [3]), a: Tensor.from(Int8Array.from([-1, 2]), [1, 2]) }, { format: 'pt' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString('utf8'));
    expect(header).toEqual({
      __metadata__: { format: 'pt' },
      a: { dtype: 'I8', shape: [1, 2], data_offsets: [0, 2] },
      b: { dtype: 'F32', shape: [3], data_offsets: [2, 14] },
    });
    expect(bytes.length).toBe(8 + headerLength + 14);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'pt' });
    expect([...back.tensors.get('b')!.data]).toEqual([1, 2, 3]);
    expect(back.tensors.get('a')!.dtype).toBe('i8');
    expect([...back.tensors.get('a')!.data]).toEqual([-1, 2]);
  });

  it('decodes F16 and BF16 tensors as f32', () => {
    const f16 = decodeSafetensors(halfFile('F16', [0x3c00, 0xc000])).tensors.get('h')!;
    expect(f16.dtype).toBe('f32');
    expect([...f16.data]).toEqual([1, -2]);
    expect([...decodeSafetensors(halfFile('BF16', [0x3f80, 0xc040])).tensors.get('h')!.data]).toEqual([1, -3]);
  });

  it('reads a written file by header then tensor, and whole', async () => {
    const file = join(dir, 'w.safetensors');
    await writeSafetensors(file, new Map([['w', Tensor.from([0.5, -1, 2, 4], [2, 2])], ['codes', Tensor.from(Uint8Array.from([7]), [1])]]), { note: 'x' });
    const header = await readSafetensorsHeader(file);
    expect(header.metadata).toEqual({ note: 'x' });
    expect(header.tensors.get('w')).toMatchObject({ dtype: 'F32', shape: [2, 2] });
    expect([...(await readTensorF32(header, header.tensors.get('w')!))]).toEqual([0.5, -1, 2, 4]);
    await expect(readTensorF32(header, header.tensors.get('codes')!)).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'codes' });
    expect([...(await readSafetensors(file)).tensors.get('codes')!.data]).toEqual([7]);
  });

  it('rejects truncated or inconsistent bytes, naming the source and the tensor', () => {
    const bytes = encodeSafetensors({ w: Tensor.from([1, 2]) });
    expect(() => decodeSafetensors(bytes.subarray(0, bytes.length - 1), 'w.safetensors')).toThrow(/w\.safetensors: tensor "w" ends at byte \d+ but the file has only \d+ bytes \(truncated\)/);
    expect(() => decodeSafetensors(bytes.subarray(0, 4), 'w.safetensors')).toThrow(/only 4 bytes, too short/);
    const header = Buffer.from('{"w":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}');
    const f64 = Buffer.concat([Buffer.from(new BigUint64Array([BigInt(header.length)]).buffer), header, Buffer.alloc(8)]);
    expect(() => decodeSafetensors(f64, 'f64.safetensors')).toThrow(/has dtype F64/);
  });
});
