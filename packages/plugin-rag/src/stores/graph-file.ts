import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { writeFileAtomic } from '@ferry/core';
import { z } from 'zod';
import type { HnswGraph } from './hnsw-index.js';

/** Where in the store's history a graph was taken: after the first `walBytes` bytes of log `generation`. */
export interface LogPosition {
  generation: number;
  walBytes: number;
}

const headerSchema = z
  .object({
    version: z.literal(1),
    collection: z.string(),
    dims: z.number().int().positive(),
    generation: z.number().int().nonnegative(),
    walBytes: z.number().int().nonnegative(),
    /** Rows of the collection (live and dead) when the graph was taken. */
    rows: z.number().int().nonnegative(),
    /** crc32 of those rows' float32 bytes: the graph is only used over the very vectors it was built on. */
    fingerprint: z.number().int().nonnegative(),
    m: z.number().int().positive(),
    efConstruction: z.number().int().positive(),
    seed: z.number().int(),
    nodes: z.number().int().nonnegative(),
    entry: z.number().int(),
    maxLevel: z.number().int(),
    rng: z.number().int().nonnegative(),
    upperLength: z.number().int().nonnegative(),
  })
  .strict();

export type GraphHeader = z.infer<typeof headerSchema>;

export interface GraphFile {
  header: GraphHeader;
  graph: HnswGraph;
}

/**
 * `MAGIC [u32 header length][u32 crc32 of everything after it][header JSON]`, padding to 4 bytes,
 * then levels (u8 per node, padded to 4), links0 and upper (i32 little-endian).
 */
const MAGIC = Buffer.from('FERRYHNSW\n', 'ascii');
const PREFIX = MAGIC.length + 8;
const FILE = /^hnsw-[0-9a-f]{32}\.graph$/;
const TEMP = /^\.hnsw-[0-9a-f]{32}\.graph\..*\.tmp$/;

/** The graph file of a collection: named by a hash, since collection names may be longer than a file name may be. */
export function graphFileName(collection: string): string {
  return `hnsw-${createHash('sha256').update(collection).digest('hex').slice(0, 32)}.graph`;
}

/** crc32 of rows `[0, rows)` of a float32 matrix. */
export function rowsFingerprint(vectors: Float32Array, rows: number, dims: number): number {
  return crc32(new Uint8Array(vectors.buffer, vectors.byteOffset, rows * dims * 4));
}

const pad4 = (n: number) => (n + 3) & ~3;

export function encodeGraphFile(header: Omit<GraphHeader, 'version' | 'nodes' | 'entry' | 'maxLevel' | 'rng' | 'upperLength'>, graph: HnswGraph): Buffer {
  const full: GraphHeader = { version: 1, ...header, nodes: graph.nodes, entry: graph.entry, maxLevel: graph.maxLevel, rng: graph.rng, upperLength: graph.upper.length };
  const json = Buffer.from(JSON.stringify(full), 'utf8');
  const bodyStart = pad4(PREFIX + json.length);
  const linksStart = bodyStart + pad4(graph.nodes);
  const upperStart = linksStart + graph.links0.byteLength;
  const out = Buffer.alloc(upperStart + graph.upper.byteLength);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(json.length, MAGIC.length);
  json.copy(out, PREFIX);
  out.set(graph.levels, bodyStart);
  out.set(new Uint8Array(graph.links0.buffer, graph.links0.byteOffset, graph.links0.byteLength), linksStart);
  out.set(new Uint8Array(graph.upper.buffer, graph.upper.byteOffset, graph.upper.byteLength), upperStart);
  out.writeUInt32LE(crc32(out.subarray(PREFIX)), MAGIC.length + 4);
  return out;
}

/** The graph in `data`, or undefined when the file is cut short, fails its checksum or does not parse. */
export function decodeGraphFile(data: Buffer): GraphFile | undefined {
  if (data.length < PREFIX || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const jsonLength = data.readUInt32LE(MAGIC.length);
  if (PREFIX + jsonLength > data.length || crc32(data.subarray(PREFIX)) !== data.readUInt32LE(MAGIC.length + 4)) return undefined;
  let header: GraphHeader;
  try {
    header = headerSchema.parse(JSON.parse(data.toString('utf8', PREFIX, PREFIX + jsonLength)));
  } catch {
    return undefined;
  }
  const bodyStart = pad4(PREFIX + jsonLength);
  const linksStart = bodyStart + pad4(header.nodes);
  const linksLength = header.nodes * (2 * header.m + 1);
  const upperStart = linksStart + linksLength * 4;
  if (upperStart + header.upperLength * 4 !== data.length) return undefined;
  // Copied: typed arrays need aligned offsets, and the file's buffer may be pooled.
  const ints = (start: number, length: number) => {
    const out = new Int32Array(length);
    new Uint8Array(out.buffer).set(data.subarray(start, start + length * 4));
    return out;
  };
  const graph: HnswGraph = {
    nodes: header.nodes,
    entry: header.entry,
    maxLevel: header.maxLevel,
    rng: header.rng,
    levels: Uint8Array.from(data.subarray(bodyStart, bodyStart + header.nodes)),
    links0: ints(linksStart, linksLength),
    upper: ints(upperStart, header.upperLength),
  };
  return { header, graph };
}

export async function writeGraphFile(dir: string, header: Parameters<typeof encodeGraphFile>[0], graph: HnswGraph): Promise<void> {
  await writeFileAtomic(join(dir, graphFileName(header.collection)), encodeGraphFile(header, graph));
}

/**
 * Every graph file of the store that reads back whole. Damaged ones and
 * temp files left by a crash are removed: a graph is a cache of the log,
 * rebuilt when missing.
 */
export async function readGraphFiles(dir: string): Promise<GraphFile[]> {
  const found: GraphFile[] = [];
  for (const name of await readdir(dir)) {
    if (TEMP.test(name)) {
      await rm(join(dir, name), { force: true });
      continue;
    }
    if (!FILE.test(name)) continue;
    const file = decodeGraphFile(await readFile(join(dir, name)));
    if (file === undefined || graphFileName(file.header.collection) !== name) await removeGraphFile(dir, name);
    else found.push(file);
  }
  return found;
}

export async function removeGraphFile(dir: string, name: string): Promise<void> {
  await rm(join(dir, name), { force: true });
}

/** Names of the graph files in `dir`. */
export async function listGraphFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => FILE.test(name));
}
