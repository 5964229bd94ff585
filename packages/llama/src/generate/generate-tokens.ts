import { setImmediate as nextTurn } from 'node:timers/promises';
import { createRng, FerryError } from '@ferry/core';
import type { LlamaModel } from '../nn/llama-model.js';
import { sampleToken, type SamplingOptions } from './sampling.js';

export interface TokenGenerationOptions extends SamplingOptions {
  /** Default 256. */
  maxTokens?: number;
  /** Seeds the sampler; the same seed gives the same tokens. Default: random. */
  seed?: number;
  /** Token ids that end generation (not yielded); usually the EOS ids. */
  stopTokenIds?: readonly number[];
  signal?: AbortSignal;
}

export type TokenFinishReason = 'stop' | 'length';

/**
 * Prefills `promptIds` into a fresh KV cache and yields new token ids one by
 * one, each as soon as it is sampled. The cache is disposed however the
 * generator ends: exhausted, returned early (`break`), or aborted through
 * `signal` (which rejects with the signal's reason).
 */
export async function* generateTokens(model: LlamaModel, promptIds: readonly number[], options: TokenGenerationOptions = {}): AsyncGenerator<number, TokenFinishReason> {
  const { maxPositions } = model.config;
  if (promptIds.length === 0 || promptIds.length >= maxPositions) {
    throw new FerryError('INPUT_INVALID', `the prompt has ${promptIds.length} tokens; the model takes 1 to ${maxPositions - 1} (max_position_embeddings ${maxPositions}, one left to generate)`, {
      field: 'input',
      hint: promptIds.length === 0 ? 'Pass a non-empty prompt.' : 'Shorten the prompt.',
    });
  }
  // Generation ends with 'length' at the context limit rather than overflowing the cache.
  const maxTokens = Math.min(options.maxTokens ?? 256, maxPositions - promptIds.length);
  const rng = createRng(options.seed ?? Math.floor(Math.random() * 2 ** 32));
  const stopIds = new Set(options.stopTokenIds ?? []);
  const seen = [...promptIds];
  options.signal?.throwIfAborted();
  const cache = model.createCache(promptIds.length + maxTokens);
  try {
    const signal = options.signal ? { signal: options.signal } : {};
    let { logits } = await model.forward(promptIds, { cache, logits: 'last', ...signal });
    for (let produced = 0; produced < maxTokens; produced++) {
      options.signal?.throwIfAborted();
      const token = sampleToken(logits!.data, seen, options, rng);
      if (stopIds.has(token)) return 'stop';
      seen.push(token);
      yield token;
      if (produced + 1 === maxTokens) break;
      // One macrotask per token, so timers, sockets and abort handlers run between tokens even on sync kernels.
      await nextTurn();
      options.signal?.throwIfAborted();
      ({ logits } = await model.forward([token], { cache, logits: 'last', ...signal }));
    }
    return 'length';
  } finally {
    cache.dispose();
  }
}
