import { Tensor } from '../../tensor/tensor.js';
import { attentionArgs, attentionBackwardArgs, type AttentionArgs } from '../kernel-args/attention-args.js';
import type { AttentionGrads, AttentionOptions } from '../kernel-types.js';

/**
 * Scaled dot-product attention, one (batch, head, query) row at a time:
 * scores and probabilities live in an f64 row of length S, so memory stays
 * O(S) however long the sequence.
 */
export function attention(qInput: Tensor, kInput: Tensor, vInput: Tensor, options: AttentionOptions = {}): Tensor<'f32'> {
  const g = attentionArgs(qInput, kInput, vInput, options);
  const { q, k, v } = g;
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
export function attentionBackward(qInput: Tensor, kInput: Tensor, vInput: Tensor, doutInput: Tensor, options: AttentionOptions = {}): AttentionGrads {
  const g = attentionBackwardArgs(qInput, kInput, vInput, doutInput, options);
  const { q, k, v, dout } = g;
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

function forEachRow(g: AttentionArgs, fn: (b: number, t: number, h: number, kvh: number) => void): void {
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
  g: AttentionArgs,
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

function qIndex(g: AttentionArgs, b: number, t: number, h: number): number {
  return ((b * g.time + t) * g.qHeads + h) * g.dim;
}

function kvIndex(g: AttentionArgs, b: number, s: number, kvh: number): number {
  return ((b * g.keys + s) * g.kvHeads + kvh) * g.dim;
}
