import { describe, expect, it } from 'vitest';
import { randomUniform } from '../../tensor/random-tensor.js';
import { createRng } from '../../tensor/seeded-rng.js';
import { Tensor } from '../../tensor/tensor.js';
import { attention, attentionBackward } from './attention.js';
import { expectClose, expectFerryError, expectGradientClose, numericGradient, weightedSum } from './kernel-test-utils.test-helper.js';

/** Gathers head h of a [B, L, H, D] tensor for batch b as L rows of D. */
function headRows(t: Tensor, b: number, h: number): number[][] {
  const [, len, heads, d] = t.shape as [number, number, number, number];
  return Array.from({ length: len }, (_, i) => {
    const base = ((b * len + i) * heads + h) * d;
    return Array.from(t.data.subarray(base, base + d));
  });
}

/** softmax(scale * Q K^T + mask) V per (batch, query head), as matrices. */
function naiveAttention(q: Tensor, k: Tensor, v: Tensor, causal: boolean, scale?: number): Float64Array {
  const [batch, time, hq, d] = q.shape as [number, number, number, number];
  const [, keys, hkv] = k.shape as [number, number, number];
  const s = scale ?? 1 / Math.sqrt(d);
  const out = new Float64Array(q.size);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < hq; h++) {
      const kvh = Math.floor(h / (hq / hkv));
      const Q = headRows(q, b, h);
      const K = headRows(k, b, kvh);
      const V = headRows(v, b, kvh);
      Q.forEach((qi, i) => {
        const scores = K.map((kj, j) =>
          causal && j > i + keys - time ? -Infinity : s * qi.reduce((acc, val, c) => acc + val * kj[c]!, 0),
        );
        const max = Math.max(...scores);
        const weights = scores.map((x) => (max === -Infinity ? 0 : Math.exp(x - max)));
        const total = weights.reduce((acc, w) => acc + w, 0);
        for (let c = 0; c < d; c++) {
          const value = V.reduce((acc, vj, j) => acc + (total === 0 ? 0 : weights[j]! / total) * vj[c]!, 0);
          out[((b * time + i) * hq + h) * d + c] = value;
        }
      });
    }
  }
  return out;
}

/** Repeats each kv head Hq/Hkv times along the head axis (HF repeat_kv). */
function repeatKv(t: Tensor, groups: number): Tensor<'f32'> {
  const [b, s, h, d] = t.shape as [number, number, number, number];
  const out = Tensor.zeros([b, s, h * groups, d]);
  for (let row = 0; row < b * s; row++) {
    for (let hi = 0; hi < h * groups; hi++) {
      const src = (row * h + Math.floor(hi / groups)) * d;
      out.data.set(t.data.subarray(src, src + d), (row * h * groups + hi) * d);
    }
  }
  return out;
}

describe('attention', () => {
  const rng = createRng(7);
  const cases = [
    { name: 'multi-head causal', b: 2, t: 5, s: 5, hq: 3, hkv: 3, d: 4, causal: true },
    { name: 'grouped-query causal', b: 1, t: 6, s: 6, hq: 6, hkv: 2, d: 8, causal: true },
    { name: 'decode against a longer cache (S > T, mask aligned to the end)', b: 2, t: 2, s: 7, hq: 4, hkv: 2, d: 3, causal: true },
    { name: 'more queries than keys (early rows see nothing)', b: 1, t: 5, s: 3, hq: 2, hkv: 1, d: 4, causal: true },
    { name: 'non-causal multi-query', b: 1, t: 3, s: 9, hq: 4, hkv: 1, d: 5, causal: false },
  ];

  it.each(cases)('matches explicit softmax(QK^T)V: $name', ({ b, t, s, hq, hkv, d, causal }) => {
    const q = randomUniform(rng, [b, t, hq, d]);
    const k = randomUniform(rng, [b, s, hkv, d]);
    const v = randomUniform(rng, [b, s, hkv, d]);
    const out = attention(q, k, v, { causal });
    expect(out.shape).toEqual([b, t, hq, d]);
    expectClose(out.data, naiveAttention(q, k, v, causal), 1e-6, 1e-5);
  });

  it('uses a custom scale', () => {
    const q = randomUniform(rng, [1, 3, 2, 4]);
    const k = randomUniform(rng, [1, 3, 2, 4]);
    const v = randomUniform(rng, [1, 3, 2, 4]);
    expectClose(attention(q, k, v, { scale: 2.5 }).data, naiveAttention(q, k, v, true, 2.5), 1e-6, 1e-5);
  });

  it('grouped-query attention equals multi-head attention on repeated kv heads', () => {
    const q = randomUniform(rng, [1, 4, 8, 3]);
    const k = randomUniform(rng, [1, 4, 2, 3]);
    const v = randomUniform(rng, [1, 4, 2, 3]);
    expectClose(attention(q, k, v).data, attention(q, repeatKv(k, 4), repeatKv(v, 4)).data, 1e-7);
  });

  it('zeroes query rows that see no key', () => {
    const out = attention(randomUniform(rng, [1, 3, 1, 2]), randomUniform(rng, [1, 1, 1, 2]), randomUniform(rng, [1, 1, 1, 2]));
    expect([...out.data.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
    expect(out.data[4]).not.toBe(0);
  });

  it.each([
    { name: 'grouped-query causal, S > T', t: 3, s: 5, hq: 4, hkv: 2, causal: true },
    { name: 'non-causal', t: 3, s: 4, hq: 2, hkv: 2, causal: false },
  ])('backward matches central differences: $name', ({ t, s, hq, hkv, causal }) => {
    const q = randomUniform(rng, [1, t, hq, 3]);
    const k = randomUniform(rng, [1, s, hkv, 3]);
    const v = randomUniform(rng, [1, s, hkv, 3]);
    const dout = randomUniform(rng, q.shape);
    const grads = attentionBackward(q, k, v, dout, { causal });
    const loss = () => weightedSum(attention(q, k, v, { causal }), dout);
    expectGradientClose(grads.dq, numericGradient(loss, q));
    expectGradientClose(grads.dk, numericGradient(loss, k));
    expectGradientClose(grads.dv, numericGradient(loss, v));
  });

  it('names the argument whose shape does not fit', () => {
    const q = Tensor.zeros([1, 2, 3, 4]);
    expectFerryError(() => attention(q, Tensor.zeros([1, 2, 2, 4]), Tensor.zeros([1, 2, 2, 4])), 'TENSOR_SHAPE', 'k', '3 heads', '2 kv heads');
    expectFerryError(() => attention(q, Tensor.zeros([1, 2, 1, 4]), Tensor.zeros([1, 3, 1, 4])), 'TENSOR_SHAPE', 'v', '[1, 3, 1, 4]');
    expectFerryError(() => attention(q, Tensor.zeros([1, 2, 1, 5]), Tensor.zeros([1, 2, 1, 5])), 'TENSOR_SHAPE', 'k', '[1, 2, 1, 5]');
    expectFerryError(() => attentionBackward(q, Tensor.zeros([1, 2, 1, 4]), Tensor.zeros([1, 2, 1, 4]), Tensor.zeros([1, 2, 3, 5])), 'TENSOR_SHAPE', 'dout');
  });
});
