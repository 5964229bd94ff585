import { crc32 } from 'node:zlib';
import { z } from 'zod';
import type { MetadataValue } from '../documents/chunk.js';

/**
 * One change to an embedded store, as written to its log and its snapshots.
 * Vectors travel as raw float32 after the JSON header, `ids.length * dims` of them.
 */
export type StoreOp =
  | { op: 'create'; name: string; dims: number }
  | { op: 'drop'; name: string }
  | { op: 'upsert'; name: string; ids: string[]; texts: string[]; metadatas: Record<string, MetadataValue>[]; vectors: Float32Array }
  | { op: 'delete'; name: string; ids: string[] }
  /** Last frame of a snapshot: a snapshot without it is incomplete. */
  | { op: 'end'; generation: number };

const metadataValue = z.union([z.string(), z.number(), z.boolean()]);
const headerSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('create'), name: z.string(), dims: z.number().int().positive() }),
  z.object({ op: z.literal('drop'), name: z.string() }),
  z.object({
    op: z.literal('upsert'),
    name: z.string(),
    ids: z.array(z.string()),
    texts: z.array(z.string()),
    metadatas: z.array(z.record(z.string(), metadataValue)),
  }),
  z.object({ op: z.literal('delete'), name: z.string(), ids: z.array(z.string()) }),
  z.object({ op: z.literal('end'), generation: z.number().int().nonnegative() }),
]);

/** `[u32 payload length][u32 crc32 of payload]` then the payload `[u32 header length][header JSON][vectors]`. */
const PREFIX_BYTES = 8;

export function encodeFrame(op: StoreOp): Buffer[] {
  const { vectors, ...header } = op.op === 'upsert' ? op : { ...op, vectors: undefined };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const headerLength = Buffer.alloc(4);
  headerLength.writeUInt32LE(json.length);
  const vectorBytes = vectors === undefined ? Buffer.alloc(0) : Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength);
  const prefix = Buffer.alloc(PREFIX_BYTES);
  prefix.writeUInt32LE(4 + json.length + vectorBytes.length, 0);
  prefix.writeUInt32LE(crc32(vectorBytes, crc32(json, crc32(headerLength))), 4);
  return [prefix, headerLength, json, vectorBytes];
}

export interface DecodedFrames {
  ops: StoreOp[];
  /** Bytes of whole, valid frames from the start; what follows is a torn or damaged tail. */
  validBytes: number;
  /** Byte offset where each op's frame ends. */
  ends: number[];
}

/**
 * Reads frames until the data ends or a frame is torn or fails its checksum:
 * a write cut short by a crash leaves exactly such a tail, never a bad frame
 * before good ones, since every commit is synced before the next one starts.
 */
export function decodeFrames(data: Buffer, knownDims: ReadonlyMap<string, number>): DecodedFrames {
  // Upsert frames need their collection's dims, which earlier frames of the same data may set.
  const dims = new Map(knownDims);
  const ops: StoreOp[] = [];
  const ends: number[] = [];
  let offset = 0;
  while (offset + PREFIX_BYTES <= data.length) {
    const length = data.readUInt32LE(offset);
    const end = offset + PREFIX_BYTES + length;
    if (length < 4 || end > data.length) break;
    const payload = data.subarray(offset + PREFIX_BYTES, end);
    if (crc32(payload) !== data.readUInt32LE(offset + 4)) break;
    const op = parsePayload(payload, dims);
    if (op === undefined) break;
    if (op.op === 'create') dims.set(op.name, op.dims);
    if (op.op === 'drop') dims.delete(op.name);
    ops.push(op);
    ends.push(end);
    offset = end;
  }
  return { ops, validBytes: offset, ends };
}

function parsePayload(payload: Buffer, dimsByName: ReadonlyMap<string, number>): StoreOp | undefined {
  const headerLength = payload.readUInt32LE(0);
  if (4 + headerLength > payload.length) return undefined;
  let header: z.infer<typeof headerSchema>;
  try {
    header = headerSchema.parse(JSON.parse(payload.toString('utf8', 4, 4 + headerLength)));
  } catch {
    return undefined;
  }
  const vectorBytes = payload.subarray(4 + headerLength);
  if (header.op !== 'upsert') return vectorBytes.length === 0 ? header : undefined;
  const dims = dimsByName.get(header.name);
  const n = header.ids.length;
  if (dims === undefined || header.texts.length !== n || header.metadatas.length !== n || vectorBytes.length !== n * dims * 4) return undefined;
  // Copied so the vectors are 4-byte aligned whatever the frame's offset was.
  const vectors = new Float32Array(n * dims);
  Buffer.from(vectors.buffer).set(vectorBytes);
  return { ...header, vectors };
}
