import { open, stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import { FerryError } from '@ferry/core';
import { z } from 'zod';

/** The dtypes a Llama checkpoint stores its floats in; all are read into f32. */
export type SafetensorsDType = 'F32' | 'F16' | 'BF16';

export interface SafetensorsEntry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  /** Byte offsets into the data section (after the header). */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  file: string;
  /** Where the data section starts in the file: 8 + header length. */
  dataStart: number;
  tensors: Map<string, SafetensorsEntry>;
}

const LITTLE_ENDIAN = endianness() === 'LE';
const BYTES: Record<SafetensorsDType, number> = { F32: 4, F16: 2, BF16: 2 };
/** A header larger than this is not a real checkpoint (the format caps it at 100 MB). */
const MAX_HEADER = 100_000_000;

const entrySchema = z.object({
  dtype: z.string(),
  shape: z.array(z.number().int().min(0)),
  data_offsets: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
});

function malformed(file: string, message: string, tensor?: string): FerryError {
  return new FerryError('INPUT_INVALID', `${file}: ${message}`, {
    field: tensor ?? 'header',
    hint: 'The safetensors file is damaged or incomplete: download or export it again.',
    details: { file, ...(tensor === undefined ? {} : { tensor }) },
  });
}

/**
 * Reads the safetensors header (u64 LE length, then JSON) and checks every
 * entry against the file size, so a truncated download is reported here,
 * naming the file and the first tensor that runs past its end.
 */
export async function readSafetensorsHeader(file: string): Promise<SafetensorsHeader> {
  const size = (await stat(file)).size;
  const handle = await open(file, 'r');
  try {
    if (size < 8) throw malformed(file, `only ${size} bytes, too short for a safetensors header`);
    const lengthBytes = Buffer.alloc(8);
    await handle.read(lengthBytes, 0, 8, 0);
    const headerLength = Number(lengthBytes.readBigUInt64LE(0));
    if (headerLength > MAX_HEADER || 8 + headerLength > size) {
      throw malformed(file, `header claims ${headerLength} bytes but the file has ${size - 8} after the length prefix`);
    }
    const text = Buffer.alloc(headerLength);
    await handle.read(text, 0, headerLength, 8);
    let json: unknown;
    try {
      json = JSON.parse(text.toString('utf8'));
    } catch (error) {
      throw malformed(file, `header is not JSON (${(error as Error).message})`);
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw malformed(file, 'header is not a JSON object');
    const dataStart = 8 + headerLength;
    const tensors = new Map<string, SafetensorsEntry>();
    for (const [name, raw] of Object.entries(json)) {
      if (name === '__metadata__') continue;
      const parsed = entrySchema.safeParse(raw);
      if (!parsed.success) throw malformed(file, `header entry for tensor "${name}" is malformed`, name);
      const { dtype, shape, data_offsets: [begin, end] } = parsed.data;
      if (dtype !== 'F32' && dtype !== 'F16' && dtype !== 'BF16') {
        throw new FerryError('INPUT_INVALID', `${file}: tensor "${name}" has dtype ${dtype}; @ferry/llama reads F32, F16 and BF16`, {
          field: name,
          hint: 'Convert the checkpoint to float32, float16 or bfloat16 (quantised checkpoints are not supported).',
          details: { file, tensor: name },
        });
      }
      const elements = shape.reduce((a, b) => a * b, 1);
      if (end - begin !== elements * BYTES[dtype]) {
        throw malformed(file, `tensor "${name}" spans ${end - begin} bytes but shape [${shape.join(', ')}] of ${dtype} needs ${elements * BYTES[dtype]}`, name);
      }
      if (dataStart + end > size) {
        throw malformed(file, `tensor "${name}" ends at byte ${dataStart + end} but the file has only ${size} bytes (truncated)`, name);
      }
      tensors.set(name, { name, dtype, shape, begin, end });
    }
    return { file, dataStart, tensors };
  } finally {
    await handle.close();
  }
}

/** Reads one tensor's bytes and converts them to f32 (f16 and bf16 widened exactly). */
export async function readTensorF32(header: SafetensorsHeader, entry: SafetensorsEntry): Promise<Float32Array> {
  const bytes = Buffer.alloc(entry.end - entry.begin);
  const handle = await open(header.file, 'r');
  try {
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, header.dataStart + entry.begin);
    if (bytesRead !== bytes.length) throw malformed(header.file, `tensor "${entry.name}" is cut short (truncated file)`, entry.name);
  } finally {
    await handle.close();
  }
  return toF32(bytes, entry.dtype);
}

export function toF32(bytes: Uint8Array, dtype: SafetensorsDType): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength / BYTES[dtype];
  const out = new Float32Array(n);
  if (dtype === 'F32' && LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
    out.set(new Float32Array(bytes.buffer, bytes.byteOffset, n));
  } else if (dtype === 'F32') {
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
  } else if (dtype === 'BF16') {
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < n; i++) bits[i] = view.getUint16(i * 2, true) << 16;
  } else {
    for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  }
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
