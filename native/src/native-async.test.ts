import { createRng, randomUniform, type KernelSet } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { createNativeBackend, nativeBuildStatus } from './native-backend.js';

describe.runIf(nativeBuildStatus().loaded)('native GEMM off the JS thread', () => {
  it('a 1024^3 matmul returns a promise and the event loop keeps ticking while it runs', async () => {
    const matmul = createNativeBackend().kernels.matmul as KernelSet['matmul'];
    const rng = createRng(1);
    const a = randomUniform(rng, [1024, 1024]);
    const b = randomUniform(rng, [1024, 1024]);
    const gaps: number[] = [];
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }, 1);
    try {
      const pending = matmul(a, b);
      expect(pending).toBeInstanceOf(Promise);
      // Several calls back to back, so the loop is observed over a span long enough to matter.
      for (let i = 0; i < 4; i++) await matmul(a, b);
      const out = await pending;
      expect(out.shape).toEqual([1024, 1024]);
      let expected = 0;
      for (let p = 0; p < 1024; p++) expected += a.data[5 * 1024 + p]! * b.data[p * 1024 + 9]!;
      expect(out.data[5 * 1024 + 9]).toBeCloseTo(expected, 2);
    } finally {
      clearInterval(timer);
    }
    console.log(`max event-loop gap ${Math.max(...gaps).toFixed(1)} ms over ${gaps.length} ticks`);
    expect(gaps.length).toBeGreaterThan(0);
    expect(Math.max(...gaps)).toBeLessThan(50);
  });
});
