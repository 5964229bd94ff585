import { Tensor, type KernelOps } from '@ferry/core';
import { Linear, type LinearModule, type LlamaModel, type RMSNorm } from '@ferry/llama';
import { peftTensorName } from '../adapter/peft-adapter.js';
import { finetuneError } from '../finetune-error.js';
import { loraLinearBackward } from '../lora/lora-linear.js';
import type { LoraModel } from './apply-lora.js';
import { LoraLinearModule } from './lora-linear-module.js';
import { hfParameterName } from './full-parameters.js';

export interface LlamaBackwardOptions {
  /** Gradients of these LoRA factors, under PEFT's names. */
  lora?: LoraModel;
  /** Gradients of every base parameter too (full fine-tuning), under Hugging Face names. */
  full?: boolean;
  /** Sums into this map instead of a new one (accumulation over the sequences of a batch). */
  into?: Map<string, Tensor<'f32'>>;
  /**
   * The positions `dlogits` has rows for, when the logits were computed only where the loss counts
   * (`lmHead.input` in the activations then holds the hidden rows of these positions); default every position.
   */
  logitRows?: readonly number[];
}

/**
 * Backward pass of one `LlamaModel.forward(ids, { activations })` from the
 * gradient of its logits `[T, V]`: lm_head, final RMSNorm, then each decoder
 * layer in reverse — SwiGLU (silu backward), post-attention RMSNorm, the
 * residuals, o, causal grouped-query attention (the `attentionBackward`
 * kernel), RoPE (inverse rotation), q/k/v and the input RMSNorm. Frozen
 * linears only pass the gradient down (dy W); LoRA linears add dA, dB.
 * Activations come from the forward's map (nothing is recomputed except
 * silu(gate), which is cheap).
 */
export async function llamaBackward(
  model: LlamaModel,
  ids: readonly number[],
  activations: Map<string, Tensor<'f32'>>,
  dlogits: Tensor<'f32'>,
  options: LlamaBackwardOptions = {},
): Promise<Map<string, Tensor<'f32'>>> {
  const kernels = model.kernels;
  const grads = options.into ?? new Map<string, Tensor<'f32'>>();
  const loraNames = new Map<LinearModule, [string, string]>();
  for (const { layer, module, linear } of options.lora?.modules ?? []) {
    loraNames.set(linear, [peftTensorName(layer, module, 'A'), peftTensorName(layer, module, 'B')]);
  }
  const full = options.full === true;
  const tied = model.config.tieWordEmbeddings;
  const step = new BackwardStep(kernels, activations, grads, loraNames, full);

  const time = ids.length;
  const dHeadIn = await step.linear(model.lmHead, dlogits, tied ? 'model.embed_tokens.weight' : undefined);
  let dx = options.logitRows === undefined ? dHeadIn : scatterRows(dHeadIn, options.logitRows, time);
  dx = await step.norm(model.norm, dx);
  const { numHeads, numKvHeads, headDim } = model.config;
  for (let i = model.layers.length - 1; i >= 0; i--) {
    const layer = model.layers[i]!;
    const { mlp, attention } = layer;
    const dProduct = await step.linear(mlp.down, dx);
    const gate = step.activation(`${mlp.path}.gate`);
    const up = step.activation(`${mlp.path}.up`);
    const activated = await kernels.silu(gate);
    const dActivated = Tensor.zeros(gate.shape, 'f32');
    const dUp = Tensor.zeros(up.shape, 'f32');
    for (let j = 0; j < gate.size; j++) {
      dActivated.data[j] = dProduct.data[j]! * up.data[j]!;
      dUp.data[j] = dProduct.data[j]! * activated.data[j]!;
    }
    const dGate = await kernels.siluBackward(gate, dActivated);
    const dMlpIn = addInPlace(await step.linear(mlp.gate, dGate), await step.linear(mlp.up, dUp));
    const dResidual = addInPlace(await step.norm(layer.postAttentionNorm, dMlpIn), dx);

    const dMerged = await step.linear(attention.o, dResidual);
    const q = step.activation(`${attention.path}.q`);
    const k = step.activation(`${attention.path}.k`);
    const v = step.activation(`${attention.path}.v`);
    const { dq, dk, dv } = await kernels.attentionBackward(q, k, v, dMerged.reshape([1, time, numHeads, headDim]), { causal: true });
    const dqIn = await ropeBackward(model, kernels, dq);
    const dkIn = await ropeBackward(model, kernels, dk);
    const dAttnIn = await step.linear(attention.q, dqIn.reshape([time, numHeads * headDim]));
    addInPlace(dAttnIn, await step.linear(attention.k, dkIn.reshape([time, numKvHeads * headDim])));
    addInPlace(dAttnIn, await step.linear(attention.v, dv.reshape([time, numKvHeads * headDim])));
    dx = addInPlace(await step.norm(layer.inputNorm, dAttnIn), dResidual);
  }
  if (full) {
    const [, hidden] = model.embedding.weight.shape as [number, number];
    const dEmbedding = step.gradSlot('model.embed_tokens.weight', model.embedding.weight.shape);
    ids.forEach((id, t) => {
      for (let j = 0; j < hidden; j++) dEmbedding.data[id * hidden + j]! += dx.data[t * hidden + j]!;
    });
  }
  return grads;
}

class BackwardStep {
  constructor(
    private readonly kernels: KernelOps,
    private readonly activations: Map<string, Tensor<'f32'>>,
    private readonly grads: Map<string, Tensor<'f32'>>,
    private readonly loraNames: Map<LinearModule, [string, string]>,
    private readonly full: boolean,
  ) {}

  activation(key: string): Tensor<'f32'> {
    const found = this.activations.get(key);
    if (found === undefined) {
      throw finetuneError('activations', `the forward pass kept no "${key}"`, 'Run model.forward(ids, { activations: new Map() }) on the same ids, without a KV cache, and pass that map.');
    }
    return found;
  }

  gradSlot(name: string, shape: readonly number[]): Tensor<'f32'> {
    let slot = this.grads.get(name);
    if (slot === undefined) {
      slot = Tensor.zeros(shape, 'f32');
      this.grads.set(name, slot);
    }
    return slot;
  }

  private accumulate(name: string, grad: Tensor<'f32'>): void {
    const existing = this.grads.get(name);
    if (existing === undefined) this.grads.set(name, grad);
    else addInPlace(existing, grad);
  }

  /** dy `[N, out]` -> dx `[N, in]`, filing the module's parameter gradients on the way. */
  async linear(module: LinearModule, dy: Tensor<'f32'>, fullName?: string): Promise<Tensor<'f32'>> {
    if (module instanceof LoraLinearModule) {
      const cache = module.cacheFor(this.activations);
      if (cache === undefined) {
        throw finetuneError('activations', `the forward pass kept no LoRA cache for ${module.path}`, 'Run model.forward(ids, { activations }) and pass the same map to the backward pass.');
      }
      const { da, db, dx } = await loraLinearBackward(this.kernels, module.layer, cache, dy);
      const names = this.loraNames.get(module);
      if (names) {
        this.accumulate(names[0], da);
        this.accumulate(names[1], db);
      }
      return dx!;
    }
    if (!(module instanceof Linear)) {
      throw finetuneError(module.path, `${module.path} is neither a Linear nor a LoRA linear`, 'Backward supports @ferry/llama Linear layers and applyLora\'s LoRA layers.');
    }
    if (this.full) {
      const x = this.activation(`${module.path}.input`);
      this.accumulate(fullName ?? hfParameterName(module.path, 'weight'), await this.kernels.matmul(dy, x, { transA: true }));
      if (module.bias) {
        const db = Tensor.zeros(module.bias.shape, 'f32');
        const n = db.size;
        for (let i = 0; i < dy.size; i++) db.data[i % n]! += dy.data[i]!;
        this.accumulate(hfParameterName(module.path, 'bias'), db);
      }
    }
    return this.kernels.matmul(dy, module.weight);
  }

  async norm(norm: RMSNorm, dy: Tensor<'f32'>): Promise<Tensor<'f32'>> {
    const { dx, dgamma } = await this.kernels.rmsnormBackward(this.activation(`${norm.path}.input`), norm.weight, dy, { eps: norm.eps });
    if (this.full) this.accumulate(hfParameterName(norm.path, 'weight'), dgamma);
    return dx;
  }
}

/** Gradient through RoPE at positions 0..T-1: the kernel's inverse rotation, or (scaled RoPE, which the kernel does not take) the same here. */
async function ropeBackward(model: LlamaModel, kernels: KernelOps, dy: Tensor<'f32'>): Promise<Tensor<'f32'>> {
  if (model.config.ropeScaling === null) return kernels.ropeBackward(dy, { theta: model.config.ropeTheta, positionOffset: 0 });
  const inverse = model.layers[0]!.attention.rotary.inverseFrequencies;
  const [batch, time, heads, dim] = dy.shape as [number, number, number, number];
  const half = dim / 2;
  const out = Tensor.zeros(dy.shape, 'f32');
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < time; t++) {
      for (let i = 0; i < half; i++) {
        const cos = Math.cos(t * inverse[i]!);
        const sin = Math.sin(t * inverse[i]!);
        for (let h = 0; h < heads; h++) {
          const base = ((b * time + t) * heads + h) * dim;
          const g1 = dy.data[base + i]!;
          const g2 = dy.data[base + i + half]!;
          out.data[base + i] = g1 * cos + g2 * sin;
          out.data[base + i + half] = g2 * cos - g1 * sin;
        }
      }
    }
  }
  return out;
}

function addInPlace(target: Tensor<'f32'>, other: Tensor<'f32'>): Tensor<'f32'> {
  for (let i = 0; i < target.size; i++) target.data[i]! += other.data[i]!;
  return target;
}

/** `[R, H]` rows placed at `rows` of a zero `[T, H]`. */
function scatterRows(values: Tensor<'f32'>, rows: readonly number[], time: number): Tensor<'f32'> {
  const width = values.shape[1]!;
  const out = Tensor.zeros([time, width], 'f32');
  rows.forEach((t, r) => out.data.set(values.data.subarray(r * width, (r + 1) * width), t * width));
  return out;
}
