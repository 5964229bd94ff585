// The shape issue 7 asks for: dim 288, 6 layers, 6 heads, seq 256, batch 8, r = 8 on q, k, v, o; vocabulary 512 for both sides.
export const BENCH = {
  config: {
    model_type: 'llama', hidden_size: 288, intermediate_size: 768, num_hidden_layers: 6, num_attention_heads: 6, num_key_value_heads: 6,
    vocab_size: 512, max_position_embeddings: 512, rms_norm_eps: 1e-5, rope_theta: 10000, tie_word_embeddings: false,
  },
  lora: { r: 8, alpha: 16, dropout: 0, targetModules: ['q', 'k', 'v', 'o'] },
  seq: Number(process.env.FINETUNE_BENCH_SEQ ?? 256),
  batch: Number(process.env.FINETUNE_BENCH_BATCH ?? 8),
  steps: Number(process.env.FINETUNE_BENCH_STEPS ?? 3),
};
