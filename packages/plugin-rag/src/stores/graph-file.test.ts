import { describe, expect, it } from 'vitest';
import { decodeGraphFile, encodeGraphFile, graphFileName } from './graph-file.js';
import { HnswIndex } from './hnsw-index.js';
import { VectorArena } from './vector-arena.js';

describe('HNSW graph file', () => {
  const arena = new VectorArena(8);
  arena.reserve(300);
  for (let r = 0; r < 300; r++) arena.setRow(r, Float32Array.from({ length: 8 }, (_, d) => Math.sin(r * 0.7 + d * 1.9)));
  const index = new HnswIndex(arena, { m: 4, efConstruction: 20 });
  for (let r = 0; r < 300; r++) index.add(r);
  const header = { collection: 'docs', dims: 8, generation: 3, walBytes: 1234, rows: 300, fingerprint: 99, m: 4, efConstruction: 20, seed: 42 };

  it('reads back what it wrote', () => {
    const graph = index.exportGraph();
    const file = decodeGraphFile(encodeGraphFile(header, graph))!;
    expect(file.header).toMatchObject({ ...header, version: 1, nodes: 300, entry: graph.entry, maxLevel: graph.maxLevel });
    expect(file.graph.levels).toEqual(graph.levels);
    expect(file.graph.links0).toEqual(graph.links0);
    expect(file.graph.upper).toEqual(graph.upper);
  });

  it('reads nothing from a cut, flipped or foreign file', () => {
    const bytes = encodeGraphFile(header, index.exportGraph());
    expect(decodeGraphFile(bytes.subarray(0, bytes.length - 4))).toBeUndefined();
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 100]! ^= 1;
    expect(decodeGraphFile(flipped)).toBeUndefined();
    expect(decodeGraphFile(Buffer.from('snapshot, not a graph'))).toBeUndefined();
  });

  it('names files by a hash of the collection, whatever its length', () => {
    expect(graphFileName('docs')).toMatch(/^hnsw-[0-9a-f]{32}\.graph$/);
    expect(graphFileName('x'.repeat(512))).toHaveLength('hnsw-.graph'.length + 32);
    expect(graphFileName('docs')).not.toBe(graphFileName('docs2'));
  });
});
