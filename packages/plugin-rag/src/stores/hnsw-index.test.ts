import { describe, expect, it } from 'vitest';
import { DEFAULT_HNSW_PARAMS, HnswIndex } from './hnsw-index.js';
import { VectorArena } from './vector-arena.js';

// Seeded Gaussian mixture: clustered like real embeddings, the same every run.
function mixture(count: number, dims: number, clusters: number, seed: number): Float32Array[] {
  let state = seed;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const centres = Array.from({ length: clusters }, () => Float32Array.from({ length: dims }, normal));
  return Array.from({ length: count }, () => {
    const centre = centres[Math.floor(uniform() * clusters)]!;
    return Float32Array.from(centre, (c) => c + 0.5 * normal());
  });
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

function bruteForce(rows: Float32Array[], query: Float32Array, k: number, allowed?: (row: number) => boolean): number[] {
  return rows
    .map((row, i) => [i, cosine(row, query)] as const)
    .filter(([i]) => allowed === undefined || allowed(i))
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([i]) => i);
}

describe('HnswIndex', () => {
  const dims = 48;
  const rows = mixture(5000, dims, 50, 11);
  const queries = mixture(100, dims, 50, 11).map((q, i) => Float32Array.from(q, (x, d) => x + 0.3 * Math.sin(i * 7 + d)));
  const arena = new VectorArena(dims);
  arena.reserve(rows.length);
  rows.forEach((row, i) => arena.setRow(i, row));
  const index = new HnswIndex(arena, { m: 12, efConstruction: 100 });
  rows.forEach((_, i) => index.add(i));

  it('finds the true 10 nearest neighbours (recall@10 >= 0.95) on 5k clustered vectors', () => {
    let hits = 0;
    for (const query of queries) {
      const truth = new Set(bruteForce(rows, query, 10));
      const found = index.search(query, 10, 64);
      expect(found.nodes).toHaveLength(10);
      for (const node of found.nodes) if (truth.has(node)) hits++;
      // Distances ascend and match the cosine of the rows returned.
      for (let i = 1; i < 10; i++) expect(found.distances[i]!).toBeGreaterThanOrEqual(found.distances[i - 1]!);
      expect(1 - found.distances[0]!).toBeCloseTo(cosine(rows[found.nodes[0]!]!, query), 4);
    }
    expect(hits / (queries.length * 10)).toBeGreaterThanOrEqual(0.95);
    expect(index.size).toBe(5000);
  });

  it('returns only allowed nodes and still finds the best of them', () => {
    const allowed = new Uint8Array(rows.length);
    for (let i = 0; i < rows.length; i += 3) allowed[i] = 1;
    let hits = 0;
    for (const query of queries.slice(0, 30)) {
      const truth = new Set(bruteForce(rows, query, 10, (row) => allowed[row] === 1));
      const found = index.search(query, 10, 64, allowed);
      expect([...found.nodes].every((node) => allowed[node] === 1)).toBe(true);
      for (const node of found.nodes) if (truth.has(node)) hits++;
    }
    expect(hits / 300).toBeGreaterThanOrEqual(0.95);
  });

  it('builds the same graph from the same rows (seeded levels)', () => {
    const again = new HnswIndex(arena, { m: 12, efConstruction: 100 });
    rows.forEach((_, i) => again.add(i));
    for (const query of queries.slice(0, 10)) expect([...again.search(query, 5, 32).nodes]).toEqual([...index.search(query, 5, 32).nodes]);
  });

  it('exports its graph and loads it back into an index that answers the same', () => {
    const params = { ...DEFAULT_HNSW_PARAMS, m: 12, efConstruction: 100 };
    const graph = index.exportGraph();
    expect(graph.nodes).toBe(rows.length);
    const loaded = HnswIndex.fromGraph(arena, params, graph)!;
    expect(loaded.size).toBe(index.size);
    for (const query of queries.slice(0, 20)) {
      const a = index.search(query, 10, 40);
      const b = loaded.search(query, 10, 40);
      expect([...b.nodes]).toEqual([...a.nodes]);
      expect([...b.distances]).toEqual([...a.distances]);
    }
    // Later inserts continue on the loaded graph like on the original.
    const extra = Float32Array.from(rows[0]!, (x) => x * 0.5 + 0.1);
    arena.reserve(rows.length + 1);
    arena.setRow(rows.length, extra);
    loaded.add(rows.length);
    expect(loaded.search(extra, 1, 32).nodes[0]).toBe(rows.length);
  });

  it('refuses a graph whose links point outside it, or whose entry is not on its top layer', () => {
    const params = { ...DEFAULT_HNSW_PARAMS, m: 12, efConstruction: 100 };
    const outside = index.exportGraph();
    outside.links0[1] = outside.nodes + 5;
    expect(HnswIndex.fromGraph(arena, params, outside)).toBeUndefined();
    const entry = index.exportGraph();
    entry.entry = entry.levels.findIndex((level) => level === 0);
    expect(HnswIndex.fromGraph(arena, params, entry)).toBeUndefined();
    const cut = index.exportGraph();
    expect(HnswIndex.fromGraph(arena, params, { ...cut, upper: cut.upper.subarray(1) })).toBeUndefined();
    // Built with another m: the lists do not fit.
    expect(HnswIndex.fromGraph(arena, { ...params, m: 16 }, index.exportGraph())).toBeUndefined();
  });
});
