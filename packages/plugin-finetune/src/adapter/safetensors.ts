import { readFile } from 'node:fs/promises';
import { Tensor, writeFileAtomic, type DType } from '@ferry/core';
import { z } from 'zod';
import { finetuneError } from '../finetune-error.js';

const TO_SAFETENSORS: Record<DType, string> = { f32: 'F32', i32: 'I32', i8: 'I8', u8: 'U8' };
const FROM_SAFETENSORS = new Map<string, DType>(Object.entries(TO_SAFETENSORS).map(([dtype, name]) => [name, dtype as DType]));
const BYTES: Record<string, number> = { F32: 4, I32: 4, I8: 1, U8: 1 };

const headerEntrySchema = z.object({
  dtype: z.string(),
  shape: z.array(z.number().int().min(0)),
  data_offsets: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
});

export interface SafetensorsFile {
  tensors: Map<string, Tensor>;
  /** The `__metadata__` string map. */
  metadata: Record<string, string>;
}

/**
 * The safetensors layout: u64 little-endian header length, a JSON header
 * (padded with spaces to 8 bytes) naming each tensor's dtype, shape and byte
 * range, then the raw little-endian data. f32, i32, i8 and u8 only.
 */
export function encodeSafetensors(tensors: ReadonlyMap<string, Tensor> | Record<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const entries: Array<[string, Tensor]> = [...(tensors instanceof Map ? tensors.entries() : Object.entries(tensors))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, tensor] of entries) {
    const dtype = TO_SAFETENSORS[tensor.dtype];
    const bytes = tensor.data.byteLength;
    header[name] = { dtype, shape: [...tensor.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let cursor = 8 + headerBytes.length;
  for (const [, tensor] of entries) {
    out.set(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength), cursor);
    cursor += tensor.data.byteLength;
  }
  return out;
}

export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors'): SafetensorsFile {
  const fail = (message: string): never => {
    throw finetuneError(source, `${source} is not a valid safetensors file: ${message}`, 'Write it again with a safetensors writer; the file may be truncated.');
  };
  if (bytes.length < 8) fail('shorter than its 8-byte header length');
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (8 + headerLength > bytes.length) fail(`header length ${headerLength} runs past the end of the file`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString('utf8')) as Record<string, unknown>;
  } catch (error) {
    return fail(`header is not JSON (${(error as Error).message})`);
  }
  const dataStart = 8 + headerLength;
  const tensors = new Map<string, Tensor>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = z.record(z.string(), z.string()).parse(value);
      continue;
    }
    const entry = headerEntrySchema.safeParse(value);
    if (!entry.success) return fail(`entry "${name}" lacks dtype, shape or data_offsets`);
    const { dtype, shape, data_offsets: [begin, end] } = entry.data;
    const own = FROM_SAFETENSORS.get(dtype);
    if (own === undefined) return fail(`tensor "${name}" has dtype ${dtype}; only F32, I32, I8 and U8 are read`);
    const count = shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * BYTES[dtype]! || dataStart + end > bytes.length) fail(`tensor "${name}" byte range [${begin}, ${end}) does not fit its shape or the file`);
    // A copy (not Buffer#slice, which shares the pool) so the typed array owns aligned memory.
    const copy = new Uint8Array(bytes.subarray(dataStart + begin, dataStart + end));
    tensors.set(name, Tensor.from(viewAs(own, copy.buffer), shape));
  }
  return { tensors, metadata };
}

export async function writeSafetensors(path: string, tensors: ReadonlyMap<string, Tensor> | Record<string, Tensor>, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

export async function readSafetensors(path: string): Promise<SafetensorsFile> {
  return decodeSafetensors(await readFile(path), path);
}

function viewAs(dtype: DType, buffer: ArrayBufferLike): Float32Array | Int32Array | Int8Array | Uint8Array {
  switch (dtype) {
    case 'f32':
      return new Float32Array(buffer);
    case 'i32':
      return new Int32Array(buffer);
    case 'i8':
      return new Int8Array(buffer);
    default:
      return new Uint8Array(buffer);
  }
}
