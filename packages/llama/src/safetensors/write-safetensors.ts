import { writeFileAtomic, type DType, type Tensor } from '@ferry/core';
import type { SafetensorsDType } from './read-safetensors.js';

const TO_SAFETENSORS: Record<DType, SafetensorsDType> = { f32: 'F32', i32: 'I32', i8: 'I8', u8: 'U8' };

/**
 * The safetensors layout: u64 little-endian header length, a JSON header
 * (padded with spaces to 8 bytes) naming each tensor's dtype, shape and byte
 * range in name order, then the raw little-endian data.
 */
export function encodeSafetensors(tensors: ReadonlyMap<string, Tensor> | Record<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const entries: Array<[string, Tensor]> = [...(tensors instanceof Map ? tensors.entries() : Object.entries(tensors))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, tensor] of entries) {
    const bytes = tensor.data.byteLength;
    header[name] = { dtype: TO_SAFETENSORS[tensor.dtype], shape: [...tensor.shape], data_offsets: [offset, offset + bytes] };
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

/** Writes atomically (temp file, fsync, rename). */
export async function writeSafetensors(path: string, tensors: ReadonlyMap<string, Tensor> | Record<string, Tensor>, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}
