import { formatShape, sameShape } from '../../tensor/tensor-shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { checkNumber, checkShapeEquals, checkTensor, shapeError } from '../kernel-checks.js';
import type { AttentionGrads, AttentionOptions } from '../kernel-types.js';

interface Geometry {
  batch: number;
  time: number;
  keys: number;
  qHeads: number;
  kvHeads: number;
  dim: number;
  scale: number;
  causal: boolean;
}

/**
 * Scaled dot-product attention, one (batch, head, query) row at a time:
 * scores and probabilities live in an f64 row of length S, so memory stays
 * O(S) however long the sequence.
 */
export function attention(q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions = {}): Tensor<'f32'> {
  checkTensor('attention', 'q', q, 'f32', [4]);
  checkTensor('attention', 'k', k, 'f32', [4]);
  checkTensor('attention', 'v', v, 'f32', [4]);
  const g = geometry('attention', q, k, v, options);
  const out = Tensor.zeros(q.shape, 'f32');
  const probs = new Float64Array(g.keys);
  const row = new Float64Array(g.dim);
  forEachRow(g, (b, t, h, kvh) => {
    const visible = rowProbabilities(g, q.data, k.data, b, t, h, kvh, probs);
    row.fill(0);
    for (let s = 0; s < visible; s++) {
      const vBase = kvIndex(g, b, s, kvh);
      for (let d = 0; d < g.dim; d++) row[d]! += probs[s]! * v.data[vBase + d]!;
    }
    out.data.set(row, qIndex(g, b, t, h));
  });
  return out;
}

/**
 * With P the probabilities and dO the output gradient:
 * dV = P^T dO, dP = dO V^T, dS = P * (dP - rowsum(dP * P)), dQ = scale dS K, dK = scale dS^T Q.
 * Query heads that share a kv head add into its dk and dv.
 */
export function attentionBackward(q: Tensor, k: Tensor, v: Tensor, dout: Tensor, options: AttentionOptions = {}): AttentionGrads {
  checkTensor('attentionBackward', 'q', q, 'f32', [4]);
  checkTensor('attentionBackward', 'k', k, 'f32', [4]);
  checkTensor('attentionBackward', 'v', v, 'f32', [4]);
  checkTensor('attentionBackward', 'dout', dout, 'f32');
  const g = geometry('attentionBackward', q, k, v, options);
  checkShapeEquals('attentionBackward', 'dout', dout, q.shape, 'the output gradient has the shape of q');
  const dq = new Float64Array(q.size);
  const dk = new Float64Array(k.size);
  const dv = new Float64Array(v.size);
  const probs = new Float64Array(g.keys);
  const dProbs = new Float64Array(g.keys);
  forEachRow(g, (b, t, h, kvh) => {
    const visible = rowProbabilities(g, q.data, k.data, b, t, h, kvh, probs);
    const qBase = qIndex(g, b, t, h);
    let rowDot = 0;
    for (let s = 0; s < visible; s++) {
      const vBase = kvIndex(g, b, s, kvh);
      let dp = 0;
      for (let d = 0; d < g.dim; d++) {
        dp += dout.data[qBase + d]! * v.data[vBase + d]!;
        dv[vBase + d]! += probs[s]! * dout.data[qBase + d]!;
      }
      dProbs[s] = dp;
      rowDot += dp * probs[s]!;
    }
    for (let s = 0; s < visible; s++) {
      const dScore = probs[s]! * (dProbs[s]! - rowDot) * g.scale;
      const kBase = kvIndex(g, b, s, kvh);
      for (let d = 0; d < g.dim; d++) {
        dq[qBase + d]! += dScore * k.data[kBase + d]!;
        dk[kBase + d]! += dScore * q.data[qBase + d]!;
      }
    }
  });
  return {
    dq: new Tensor('f32', Float32Array.from(dq), q.shape),
    dk: new Tensor('f32', Float32Array.from(dk), k.shape),
    dv: new Tensor('f32', Float32Array.from(dv), v.shape),
  };
}

function geometry(kernel: string, q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions): Geometry {
  const [batch, time, qHeads, dim] = q.shape as [number, number, number, number];
  const [kBatch, keys, kvHeads, kDim] = k.shape as [number, number, number, number];
  if (kBatch !== batch || kDim !== dim) {
    throw shapeError(kernel, 'k', `k ${formatShape(k.shape)} does not match q ${formatShape(q.shape)}: expected [${batch}, S, Hkv, ${dim}]`, 'Give k the batch size and head dimension of q: q is [B, T, Hq, D], k and v are [B, S, Hkv, D].');
  }
  if (!sameShape(v.shape, k.shape)) {
    throw shapeError(kernel, 'v', `v has shape ${formatShape(v.shape)} but k has ${formatShape(k.shape)}`, 'Pass k and v with the same shape [B, S, Hkv, D].');
  }
  if (kvHeads === 0 || qHeads % kvHeads !== 0) {
    throw shapeError(kernel, 'k', `q has ${qHeads} heads, not a multiple of the ${kvHeads} kv heads of k`, 'For grouped-query attention Hq must be a whole multiple of Hkv (e.g. 32 and 8).');
  }
  const scale = options.scale ?? 1 / Math.sqrt(dim);
  checkNumber(kernel, 'options.scale', scale, {});
  return { batch, time, keys, qHeads, kvHeads, dim, scale, causal: options.causal ?? true };
}

function forEachRow(g: Geometry, fn: (b: number, t: number, h: number, kvh: number) => void): void {
  const group = g.qHeads / g.kvHeads;
  for (let b = 0; b < g.batch; b++) {
    for (let h = 0; h < g.qHeads; h++) {
      for (let t = 0; t < g.time; t++) fn(b, t, h, Math.floor(h / group));
    }
  }
}

/**
 * Fills probs[0, visible) with softmax(scale * q.k) over the keys this query
 * may see and returns `visible` (0 when the causal mask hides every key).
 */
function rowProbabilities(
  g: Geometry,
  q: Float32Array,
  k: Float32Array,
  b: number,
  t: number,
  h: number,
  kvh: number,
  probs: Float64Array,
): number {
  const visible = g.causal ? Math.max(0, Math.min(g.keys, t + g.keys - g.time + 1)) : g.keys;
  const qBase = qIndex(g, b, t, h);
  let max = -Infinity;
  for (let s = 0; s < visible; s++) {
    const kBase = kvIndex(g, b, s, kvh);
    let dot = 0;
    for (let d = 0; d < g.dim; d++) dot += q[qBase + d]! * k[kBase + d]!;
    probs[s] = dot * g.scale;
    max = Math.max(max, probs[s]!);
  }
  let sum = 0;
  for (let s = 0; s < visible; s++) {
    probs[s] = Math.exp(probs[s]! - max);
    sum += probs[s]!;
  }
  for (let s = 0; s < visible; s++) probs[s]! /= sum;
  return visible;
}

function qIndex(g: Geometry, b: number, t: number, h: number): number {
  return ((b * g.time + t) * g.qHeads + h) * g.dim;
}

function kvIndex(g: Geometry, b: number, s: number, kvh: number): number {
  return ((b * g.keys + s) * g.kvHeads + kvh) * g.dim;
}
