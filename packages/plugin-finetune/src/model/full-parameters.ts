import type { Tensor } from '@ferry/core';
import { Linear, type LlamaModel } from '@ferry/llama';
import { finetuneError } from '../finetune-error.js';

const MODULE_NAMES: Record<string, string> = {
  'attention.q': 'self_attn.q_proj',
  'attention.k': 'self_attn.k_proj',
  'attention.v': 'self_attn.v_proj',
  'attention.o': 'self_attn.o_proj',
  'mlp.gate': 'mlp.gate_proj',
  'mlp.up': 'mlp.up_proj',
  'mlp.down': 'mlp.down_proj',
  inputNorm: 'input_layernorm',
  postAttentionNorm: 'post_attention_layernorm',
};

/** Hugging Face checkpoint name of a @ferry/llama module's parameter: `layers.0.attention.q` -> `model.layers.0.self_attn.q_proj.weight`. */
export function hfParameterName(path: string, kind: 'weight' | 'bias'): string {
  if (path === 'norm') return `model.norm.${kind}`;
  if (path === 'lmHead') return `lm_head.${kind}`;
  if (path === 'embedding') return `model.embed_tokens.${kind}`;
  const match = /^layers\.(\d+)\.(.+)$/.exec(path);
  const module = match ? MODULE_NAMES[match[2]!] : undefined;
  if (!match || module === undefined) throw finetuneError('path', `no Hugging Face name for module path "${path}"`, 'Pass a @ferry/llama module path such as layers.0.attention.q.');
  return `model.layers.${match[1]}.${module}.${kind}`;
}

/**
 * Every parameter of the model under its Hugging Face name, the tensors the
 * model computes with (so updating them in place trains the model): full
 * fine-tuning's trainable set, and what `saveLlamaSafetensors` writes. A tied
 * lm_head is the embedding and appears once. LoRA-wrapped projections are
 * skipped (their base is frozen).
 */
export function llamaParameters(model: LlamaModel): Map<string, Tensor<'f32'>> {
  const params = new Map<string, Tensor<'f32'>>();
  params.set('model.embed_tokens.weight', model.embedding.weight);
  const linear = (module: unknown): void => {
    if (!(module instanceof Linear)) return;
    params.set(hfParameterName(module.path, 'weight'), module.weight);
    if (module.bias) params.set(hfParameterName(module.path, 'bias'), module.bias);
  };
  for (const layer of model.layers) {
    params.set(hfParameterName(layer.inputNorm.path, 'weight'), layer.inputNorm.weight);
    for (const m of [layer.attention.q, layer.attention.k, layer.attention.v, layer.attention.o]) linear(m);
    params.set(hfParameterName(layer.postAttentionNorm.path, 'weight'), layer.postAttentionNorm.weight);
    for (const m of [layer.mlp.gate, layer.mlp.up, layer.mlp.down]) linear(m);
  }
  params.set('model.norm.weight', model.norm.weight);
  if (!model.config.tieWordEmbeddings) linear(model.lmHead);
  return params;
}
