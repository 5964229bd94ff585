import { Tensor, type KernelOps } from '@ferry/core';
import type { LlamaConfig } from '../load/llama-config.js';
import type { WeightMap } from '../load/load-weights.js';
import { Attention } from './attention.js';
import { DecoderLayer } from './decoder-layer.js';
import { Embedding } from './embedding.js';
import type { ForwardContext } from './forward-context.js';
import { KvCache } from './kv-cache.js';
import { Linear, type LinearModule } from './linear.js';
import { MLP } from './mlp.js';
import { RMSNorm } from './rms-norm.js';
import { RotaryEmbedding } from './rotary.js';

export interface ForwardOptions {
  /** Append to (and attend over) this cache; positions continue from its length. */
  cache?: KvCache;
  /** Which rows of logits to compute: every position, only the last (decoding), or none (embeddings). Default 'all'. */
  logits?: 'all' | 'last' | 'none';
  /** Collects what a backward pass needs; see ForwardContext. */
  activations?: Map<string, Tensor<'f32'>>;
  /** Checked between layers, so a long prefill stops soon after an abort. */
  signal?: AbortSignal;
}

export interface ForwardResult {
  /** `[T, V]`, `[1, V]` or absent, per `ForwardOptions.logits`. */
  logits?: Tensor<'f32'>;
  /** Final-norm hidden states `[T, hidden]`. */
  hidden: Tensor<'f32'>;
}

/**
 * The decoder: embedding, layers, final norm, lm_head (sharing the embedding
 * matrix when tied). All math goes through `kernels`, so the registry picks
 * `native` when built and `js` otherwise.
 */
export class LlamaModel {
  readonly embedding: Embedding;
  readonly layers: DecoderLayer[];
  readonly norm: RMSNorm;
  lmHead: LinearModule;
  private readonly liveCaches = new Set<KvCache>();

  constructor(
    readonly config: LlamaConfig,
    weights: WeightMap,
    public kernels: KernelOps,
  ) {
    const w = (name: string): Tensor<'f32'> => weights.get(name)!;
    const linear = (path: string, name: string): Linear => new Linear(path, w(`${name}.weight`), weights.get(`${name}.bias`));
    this.embedding = new Embedding('embedding', w('model.embed_tokens.weight'));
    const rotary = new RotaryEmbedding(config);
    this.layers = Array.from({ length: config.numLayers }, (_, i) => {
      const p = `model.layers.${i}.`;
      const path = `layers.${i}`;
      const attention = new Attention(
        `${path}.attention`,
        linear(`${path}.attention.q`, `${p}self_attn.q_proj`),
        linear(`${path}.attention.k`, `${p}self_attn.k_proj`),
        linear(`${path}.attention.v`, `${p}self_attn.v_proj`),
        linear(`${path}.attention.o`, `${p}self_attn.o_proj`),
        rotary,
        config,
      );
      const mlp = new MLP(`${path}.mlp`, linear(`${path}.mlp.gate`, `${p}mlp.gate_proj`), linear(`${path}.mlp.up`, `${p}mlp.up_proj`), linear(`${path}.mlp.down`, `${p}mlp.down_proj`));
      return new DecoderLayer(
        path,
        new RMSNorm(`${path}.inputNorm`, w(`${p}input_layernorm.weight`), config.rmsNormEps),
        attention,
        new RMSNorm(`${path}.postAttentionNorm`, w(`${p}post_attention_layernorm.weight`), config.rmsNormEps),
        mlp,
      );
    });
    this.norm = new RMSNorm('norm', w('model.norm.weight'), config.rmsNormEps);
    this.lmHead = new Linear('lmHead', config.tieWordEmbeddings ? w('model.embed_tokens.weight') : w('lm_head.weight'));
  }

  /** A cache sized for `expectedTokens` (it grows if needed); counted in `kvCacheBytes` until disposed. */
  createCache(expectedTokens = 64): KvCache {
    const { numLayers, numKvHeads, headDim, maxPositions } = this.config;
    const cache = new KvCache(numLayers, numKvHeads, headDim, maxPositions, expectedTokens, (done) => this.liveCaches.delete(done));
    this.liveCaches.add(cache);
    return cache;
  }

  /** Bytes held by caches not yet disposed; 0 when no generation is running. */
  get kvCacheBytes(): number {
    let total = 0;
    for (const cache of this.liveCaches) total += cache.byteLength;
    return total;
  }

  async forward(ids: readonly number[], options: ForwardOptions = {}): Promise<ForwardResult> {
    const ctx: ForwardContext = { kernels: this.kernels, ...(options.activations ? { activations: options.activations } : {}) };
    const { cache } = options;
    const positionOffset = cache?.length ?? 0;
    let x = this.embedding.forward(ids);
    for (let i = 0; i < this.layers.length; i++) {
      options.signal?.throwIfAborted();
      x = await this.layers[i]!.forward(x, { positionOffset, layer: i, ...(cache ? { cache } : {}) }, ctx);
    }
    cache?.commit(ids.length);
    const hidden = await this.norm.forward(x, ctx);
    const which = options.logits ?? 'all';
    if (which === 'none') return { hidden };
    const rows = which === 'last' ? hidden.slice(hidden.shape[0]! - 1) : hidden;
    return { hidden, logits: await this.lmHead.forward(rows, ctx) };
  }
}
