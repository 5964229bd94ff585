import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createWasmMemory, MODULE_BYTES, simdKernels } from './simd-dot.js';

describe('simd-dot (WebAssembly SIMD kernels)', () => {
  it('assembles the same module as before dotsI8 and dotsF32 shared one builder', () => {
    // sha256 of the bytes the two separate builders emitted; a change here is a change to the kernels' code.
    expect(MODULE_BYTES.length).toBe(1235);
    expect(createHash('sha256').update(MODULE_BYTES).digest('hex')).toBe('51945816f06cac568094aafc34cb8924fe0dbaedd48c9af496b06e46fd26a2a4');
  });

  it('batch kernels give each listed row its inner product with the query', () => {
    const memory = createWasmMemory(1);
    const kernels = simdKernels(memory);
    const n = 48;
    // Rows wider than n: the stride and the length are separate arguments.
    const rowBytes = 256;
    const rowCount = 20;
    const ids = [19, 0, 7, 7, 3, 12, 19, 1];
    const [idsAt, outAt, rowsAt] = [1024, 2048, 4096];
    new Int32Array(memory.buffer, idsAt, ids.length).set(ids);
    const out = new Float32Array(memory.buffer, outAt, ids.length);
    const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a, (x, i) => x * b[i]!).reduce((s, x) => s + x, 0);

    const query8 = new Int8Array(memory.buffer, 0, n);
    query8.set(Array.from({ length: n }, (_, i) => ((i * 37) % 256) - 128));
    const row8 = (id: number) => new Int8Array(memory.buffer, rowsAt + id * rowBytes, n);
    for (let id = 0; id < rowCount; id++) row8(id).set(Array.from({ length: n }, (_, i) => ((id * 91 + i * 53 + 11) % 256) - 128));
    // -128 * -128 twice is 32768, past i16: the widened products must add up in i32 lanes.
    query8.fill(-128, 0, 16);
    row8(19).fill(-128, 0, 16);
    kernels.dotsI8(0, rowsAt, rowBytes, idsAt, ids.length, n, outAt);
    ids.forEach((id, j) => expect(out[j]).toBe(dot(query8, row8(id))));

    const query = new Float32Array(memory.buffer, 0, n);
    query.set(Array.from({ length: n }, (_, i) => Math.sin(i) * 3));
    const row = (id: number) => new Float32Array(memory.buffer, rowsAt + id * rowBytes, n);
    for (let id = 0; id < rowCount; id++) row(id).set(Array.from({ length: n }, (_, i) => Math.cos(id + i * 0.7) - 0.25));
    kernels.dotsF32(0, rowsAt, rowBytes, idsAt, ids.length, n, outAt);
    ids.forEach((id, j) => expect(out[j]).toBeCloseTo(dot(query, row(id)), 4));
  });
});
