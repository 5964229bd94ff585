import type { Rng } from '@ferry/core';

export interface SamplingOptions {
  /** 0 (default) picks the most likely token (greedy); above 0 divides the logits before sampling. */
  temperature?: number;
  /** Keep only the k most likely tokens; 0 or absent keeps all. */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p; 1 or absent keeps all. */
  topP?: number;
  /** HF's CTRL-style penalty on tokens already in the sequence (prompt included); 1 or absent is off. */
  repetitionPenalty?: number;
}

/**
 * Picks the next token from last-position logits, in HF's order: repetition
 * penalty, then temperature, top-k, top-p, then a draw from `rng`. The logits
 * array is modified.
 */
export function sampleToken(logits: Float32Array, seen: Iterable<number>, options: SamplingOptions, rng: Rng): number {
  const penalty = options.repetitionPenalty ?? 1;
  if (penalty !== 1) {
    for (const id of new Set(seen)) {
      const value = logits[id]!;
      logits[id] = value < 0 ? value * penalty : value / penalty;
    }
  }
  const temperature = options.temperature ?? 0;
  if (temperature === 0) return argmax(logits);
  // Candidates best first; a stable sort keeps the lower id first on ties, as greedy does.
  const order = Array.from(logits.keys()).sort((a, b) => logits[b]! - logits[a]! || a - b);
  const topK = options.topK ?? 0;
  const kept = topK > 0 ? order.slice(0, topK) : order;
  const max = logits[kept[0]!]! / temperature;
  const weights = kept.map((id) => Math.exp(logits[id]! / temperature - max));
  const total = weights.reduce((a, b) => a + b, 0);
  const topP = options.topP ?? 1;
  let count = kept.length;
  if (topP < 1) {
    let cumulative = 0;
    for (let i = 0; i < kept.length; i++) {
      cumulative += weights[i]! / total;
      if (cumulative >= topP) {
        count = i + 1;
        break;
      }
    }
  }
  const mass = weights.slice(0, count).reduce((a, b) => a + b, 0);
  let draw = rng.next() * mass;
  for (let i = 0; i < count; i++) {
    draw -= weights[i]!;
    if (draw < 0) return kept[i]!;
  }
  return kept[count - 1]!;
}

export function argmax(data: Float32Array): number {
  let best = 0;
  for (let i = 1; i < data.length; i++) if (data[i]! > data[best]!) best = i;
  return best;
}
