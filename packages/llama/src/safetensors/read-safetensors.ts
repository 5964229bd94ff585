import { open, readFile, stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import { FerryError, Tensor } from '@ferry/core';
import { z } from 'zod';

/** What Ferry reads: float checkpoints (all widened to f32) and the integer tensors Ferry itself writes (checkpoints, NF4 codes). */
export type SafetensorsDType = 'F32' | 'F16' | 'BF16' | 'I32' | 'I8' | 'U8';
export type SafetensorsFloatDType = 'F32' | 'F16' | 'BF16';

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
  /** The `__metadata__` string map ({} when absent). */
  metadata: Record<string, string>;
}

/** A whole file in memory: F32/F16/BF16 as f32 tensors, I32/I8/U8 as they are. */
export interface SafetensorsFile {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

const LITTLE_ENDIAN = endianness() === 'LE';
const SAFETENSORS_DTYPE_BYTES: Readonly<Record<SafetensorsDType, number>> = { F32: 4, F16: 2, BF16: 2, I32: 4, I8: 1, U8: 1 };
/** A header larger than this is not a real file (the format caps it at 100 MB). */
const MAX_HEADER = 100_000_000;

const entrySchema = z.object({
  dtype: z.string(),
  shape: z.array(z.number().int().min(0)),
  data_offsets: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
});
const metadataSchema = z.record(z.string(), z.string());

export function isFloatDType(dtype: SafetensorsDType): dtype is SafetensorsFloatDType {
  return dtype === 'F32' || dtype === 'F16' || dtype === 'BF16';
}

function malformed(file: string, message: string, tensor?: string): FerryError {
  return new FerryError('INPUT_INVALID', `${file}: ${message}`, {
    field: tensor ?? 'header',
    hint: 'The safetensors file is damaged or incomplete: download or export it again.',
    details: { file, ...(tensor === undefined ? {} : { tensor }) },
  });
}

/** The JSON header's length from the u64 LE prefix, checked against the file size. */
function headerLengthOf(file: string, prefix: Uint8Array, size: number): number {
  if (size < 8) throw malformed(file, `only ${size} bytes, too short for a safetensors header`);
  const length = Number(new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true));
  if (length > MAX_HEADER || 8 + length > size) throw malformed(file, `header claims ${length} bytes but the file has ${size - 8} after the length prefix`);
  return length;
}

/** Parses the header JSON and checks every entry against the file size, naming the first tensor that runs past the end. */
function parseHeader(file: string, text: string, dataStart: number, size: number): SafetensorsHeader {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw malformed(file, `header is not JSON (${(error as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw malformed(file, 'header is not a JSON object');
  const tensors = new Map<string, SafetensorsEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(json)) {
    if (name === '__metadata__') {
      const parsed = metadataSchema.safeParse(raw);
      if (!parsed.success) throw malformed(file, '__metadata__ is not a map of strings');
      metadata = parsed.data;
      continue;
    }
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) throw malformed(file, `header entry for tensor "${name}" is malformed`, name);
    const { dtype, shape, data_offsets: [begin, end] } = parsed.data;
    if (!(dtype in SAFETENSORS_DTYPE_BYTES)) {
      throw new FerryError('INPUT_INVALID', `${file}: tensor "${name}" has dtype ${dtype}; Ferry reads F32, F16, BF16, I32, I8 and U8`, {
        field: name,
        hint: 'Convert the file to float32, float16 or bfloat16 (quantised checkpoints are not supported).',
        details: { file, tensor: name },
      });
    }
    const width = SAFETENSORS_DTYPE_BYTES[dtype as SafetensorsDType];
    const elements = shape.reduce((a, b) => a * b, 1);
    if (end - begin !== elements * width) {
      throw malformed(file, `tensor "${name}" spans ${end - begin} bytes but shape [${shape.join(', ')}] of ${dtype} needs ${elements * width}`, name);
    }
    if (dataStart + end > size) throw malformed(file, `tensor "${name}" ends at byte ${dataStart + end} but the file has only ${size} bytes (truncated)`, name);
    tensors.set(name, { name, dtype: dtype as SafetensorsDType, shape, begin, end });
  }
  return { file, dataStart, tensors, metadata };
}

/**
 * Reads only the header of a safetensors file (u64 LE length, then JSON), so
 * a large checkpoint's tensors can be checked before any data is read.
 */
export async function readSafetensorsHeader(file: string): Promise<SafetensorsHeader> {
  const size = (await stat(file)).size;
  const handle = await open(file, 'r');
  try {
    const prefix = Buffer.alloc(8);
    await handle.read(prefix, 0, Math.min(8, size), 0);
    const length = headerLengthOf(file, prefix, size);
    const text = Buffer.alloc(length);
    await handle.read(text, 0, length, 8);
    return parseHeader(file, text.toString('utf8'), 8 + length, size);
  } finally {
    await handle.close();
  }
}

/** Reads one float tensor's bytes from the file and converts them to f32 (f16 and bf16 widened exactly). */
export async function readTensorF32(header: SafetensorsHeader, entry: SafetensorsEntry): Promise<Float32Array> {
  const { dtype } = entry;
  if (!isFloatDType(dtype)) {
    throw new FerryError('INPUT_INVALID', `${header.file}: tensor "${entry.name}" holds ${dtype}, not floating point`, {
      field: entry.name,
      hint: 'Use a float32, float16 or bfloat16 checkpoint (quantised checkpoints are not supported).',
      details: { file: header.file, tensor: entry.name },
    });
  }
  const bytes = Buffer.alloc(entry.end - entry.begin);
  const handle = await open(header.file, 'r');
  try {
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, header.dataStart + entry.begin);
    if (bytesRead !== bytes.length) throw malformed(header.file, `tensor "${entry.name}" is cut short (truncated file)`, entry.name);
  } finally {
    await handle.close();
  }
  return toF32(bytes, dtype);
}

/** Decodes a whole safetensors file held in memory; `source` names it in errors. */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors'): SafetensorsFile {
  const length = headerLengthOf(source, bytes.subarray(0, 8), bytes.length);
  const header = parseHeader(source, Buffer.from(bytes.buffer, bytes.byteOffset + 8, length).toString('utf8'), 8 + length, bytes.length);
  const tensors = new Map<string, Tensor>();
  for (const entry of header.tensors.values()) {
    const data = bytes.subarray(header.dataStart + entry.begin, header.dataStart + entry.end);
    tensors.set(entry.name, tensorOf(entry, data));
  }
  return { tensors, metadata: header.metadata };
}

export async function readSafetensors(path: string): Promise<SafetensorsFile> {
  return decodeSafetensors(await readFile(path), path);
}

function tensorOf(entry: SafetensorsEntry, data: Uint8Array): Tensor {
  const { dtype, shape } = entry;
  if (isFloatDType(dtype)) return new Tensor('f32', toF32(data, dtype), shape);
  // A copy (not a view of the file buffer, which may be pooled and unaligned) so the typed array owns aligned memory.
  const own = new Uint8Array(data).buffer;
  if (dtype === 'I32') return Tensor.from(new Int32Array(own), shape);
  return Tensor.from(dtype === 'I8' ? new Int8Array(own) : new Uint8Array(own), shape);
}

export function toF32(bytes: Uint8Array, dtype: SafetensorsFloatDType): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength / SAFETENSORS_DTYPE_BYTES[dtype];
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
