import { describe, expect, it } from 'vitest';
import { VectorArena } from './vector-arena.js';

describe('VectorArena (WebAssembly SIMD inner products)', () => {
  it('matches a plain dot product for every length, tails included, and keeps rows when it grows', () => {
    for (const dims of [1, 3, 7, 8, 9, 16, 31, 384, 385]) {
      const arena = new VectorArena(dims, 2);
      const rows = Array.from({ length: 50 }, (_, r) => Float32Array.from({ length: dims }, (_, d) => (Math.sin(r * 31 + d * 7) + 1.5) * (d + 1)));
      rows.forEach((row, r) => {
        arena.reserve(r + 1);
        arena.setRow(r, row);
      });
      expect(arena.capacity).toBeGreaterThanOrEqual(50);
      for (const [a, b] of [[0, 1], [10, 49], [7, 7]] as const) {
        let dot = 0;
        let na = 0;
        let nb = 0;
        for (let d = 0; d < dims; d++) {
          dot += rows[a]![d]! * rows[b]![d]!;
          na += rows[a]![d]! ** 2;
          nb += rows[b]![d]! ** 2;
        }
        const want = 1 - dot / Math.sqrt(na * nb);
        arena.loadQuery(rows[a]!);
        expect(arena.queryDistance(b)).toBeCloseTo(want, 5);
        // int8 forms: within quantisation error.
        expect(Math.abs(arena.approxRowDistance(a, b) - want)).toBeLessThan(0.02);
        expect(Math.abs(arena.approxQueryDistance(b) - want)).toBeLessThan(0.02);
      }
      expect([...arena.row(0)]).toEqual([...rows[0]!]);
    }
  });

  it('computes a batch of int8 query inner products like one at a time', () => {
    const dims = 384;
    const arena = new VectorArena(dims);
    arena.reserve(300);
    for (let r = 0; r < 300; r++) arena.setRow(r, Float32Array.from({ length: dims }, (_, d) => Math.cos(r + d * 0.1)));
    arena.loadQuery(Float32Array.from({ length: dims }, (_, d) => Math.sin(d)));
    // Rows go four at a time, then one by one: every count of the tail, and a full list of 32.
    for (const count of [1, 2, 3, 4, 5, 6, 7, 8, 9, 32]) {
      const rows = Array.from({ length: count }, (_, j) => (j * 97 + count * 13) % 300);
      arena.batchIds.set(rows);
      arena.batchDots8(rows.length);
      rows.forEach((row, j) => {
        expect(1 - arena.batchOut[j]! * arena.scale8[row]! * arena.querySimilarityScale).toBeCloseTo(arena.approxQueryDistance(row), 6);
        expect(Math.abs(arena.approxQueryDistance(row) - arena.queryDistance(row))).toBeLessThan(0.01);
      });
    }
  });

  it('computes a batch of exact float32 query inner products like one at a time, any dims', () => {
    for (const dims of [384, 7]) {
      const arena = new VectorArena(dims);
      arena.reserve(100);
      for (let r = 0; r < 100; r++) arena.setRow(r, Float32Array.from({ length: dims }, (_, d) => Math.cos(r * 0.3 + d)));
      arena.loadQuery(Float32Array.from({ length: dims }, (_, d) => Math.sin(d + 1)));
      for (const count of [1, 3, 4, 6, 13]) {
        const rows = Array.from({ length: count }, (_, j) => (j * 37 + count) % 100);
        arena.exactIds.set(rows);
        arena.batchExactDots(count);
        rows.forEach((row, j) => expect(1 - arena.exactOut[j]! * arena.invNorms[row]!).toBeCloseTo(arena.queryDistance(row), 6));
      }
    }
  });

  it('gives a zero row cosine 0 with everything', () => {
    const arena = new VectorArena(4);
    arena.setRow(0, new Float32Array(4));
    arena.setRow(1, Float32Array.from([1, 2, 3, 4]));
    expect(arena.approxRowDistance(0, 1)).toBe(1);
    arena.loadQuery(Float32Array.from([1, 2, 3, 4]));
    expect(arena.queryDistance(0)).toBe(1);
  });
});
