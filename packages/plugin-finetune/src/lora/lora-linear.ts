import { Tensor, type KernelOps, type Nf4Tensor } from '@ferry/core';
import { finetuneError } from '../finetune-error.js';
import type { TrainingRng } from '../train/training-rng.js';

/** A frozen base weight `[out, in]`: plain f32 (LoRA) or NF4 with double-quantised constants (QLoRA). */
export type LoraBaseWeight = Tensor<'f32'> | Nf4Tensor;

export interface LoraLinearLayer {
  base: LoraBaseWeight;
  /** `[r, in]`. */
  a: Tensor<'f32'>;
  /** `[out, r]`. */
  b: Tensor<'f32'>;
  /** alpha / r. */
  scaling: number;
  /** Dropout probability on the LoRA branch's input (PEFT's lora_dropout). */
  dropout: number;
}

export interface LoraForwardOptions {
  /** Dropout is applied only when training; default false. */
  training?: boolean;
  /** Draws the dropout mask when training with dropout > 0 and no mask is given. */
  rng?: TrainingRng;
  /** Explicit keep flags (1 keep, 0 drop), one per element of x; for reproducing a reference. */
  keepMask?: Uint8Array;
}

/** What backward needs from forward: the LoRA branch input after dropout, its rank-r projection and the mask. */
export interface LoraForwardCache {
  inFeatures: number;
  outFeatures: number;
  /** x after dropout, `[N, in]` (x itself when no dropout ran). */
  xDropped: Tensor<'f32'>;
  /** xDropped A^T, `[N, r]`. */
  h: Tensor<'f32'>;
  /** Per element of x: 0 or 1 / (1 - p), undefined when no dropout ran. */
  dropoutScale: Float32Array | undefined;
  inputShape: readonly number[];
}

export interface LoraGrads {
  da: Tensor<'f32'>;
  db: Tensor<'f32'>;
  /** Shape of x; undefined when not asked for. */
  dx: Tensor<'f32'> | undefined;
}

export function isNf4Weight(weight: LoraBaseWeight): weight is Nf4Tensor {
  return !(weight instanceof Tensor);
}

export function baseShape(weight: LoraBaseWeight): [number, number] {
  const [out, inFeatures] = weight.shape;
  if (weight.shape.length !== 2 || out === undefined || inFeatures === undefined) {
    throw finetuneError('base', `the base weight must be 2-D [out, in], got shape [${weight.shape.join(', ')}]`, 'Pass the Linear weight as stored by Hugging Face: [out_features, in_features].');
  }
  return [out, inFeatures];
}

/**
 * `y = x W^T + scaling * (dropout(x) A^T) B^T` for x `[..., in]`, as PEFT's
 * lora.Linear. An NF4 base goes through nf4Matmul, so it is decoded a row at
 * a time and never held in f32.
 */
export async function loraLinearForward(
  kernels: KernelOps,
  layer: LoraLinearLayer,
  x: Tensor,
  options: LoraForwardOptions = {},
): Promise<{ y: Tensor<'f32'>; cache: LoraForwardCache }> {
  const [outFeatures, inFeatures] = checkLayer(layer);
  const inputShape = [...x.shape];
  if (x.dtype !== 'f32' || inputShape[inputShape.length - 1] !== inFeatures) {
    throw finetuneError('x', `x must be f32 [..., ${inFeatures}], got ${x.dtype} [${inputShape.join(', ')}]`, 'Pass activations whose last dimension is the layer input size.');
  }
  const rows = x.size / inFeatures;
  const flat = (x as Tensor<'f32'>).reshape([rows, inFeatures]);
  const dropoutScale = options.training && layer.dropout > 0 ? dropoutScales(flat.size, layer.dropout, options) : undefined;
  const xDropped = dropoutScale === undefined ? flat : multiply(flat, dropoutScale);
  const baseOut = isNf4Weight(layer.base) ? await kernels.nf4Matmul(flat, layer.base) : await kernels.matmul(flat, layer.base, { transB: true });
  const h = await kernels.matmul(xDropped, layer.a, { transB: true });
  const y = await kernels.matmul(h, layer.b, { transB: true, alpha: layer.scaling, c: baseOut });
  return {
    y: y.reshape([...inputShape.slice(0, -1), outFeatures]),
    cache: { inFeatures, outFeatures, xDropped, h, dropoutScale, inputShape },
  };
}

/**
 * Gradients of the LoRA factors from dy `[..., out]`; the base is frozen, so
 * no dW. dx (for the layer below) is `dy W + dropout'(scaling * dy B A)`; an
 * NF4 base is dequantised for that product and released right after.
 */
export async function loraLinearBackward(
  kernels: KernelOps,
  layer: LoraLinearLayer,
  cache: LoraForwardCache,
  dy: Tensor,
  options: { inputGrad?: boolean } = {},
): Promise<LoraGrads> {
  const rows = cache.h.shape[0] ?? 0;
  if (dy.dtype !== 'f32' || dy.size !== rows * cache.outFeatures) {
    throw finetuneError('dy', `dy must be f32 with ${rows} rows of ${cache.outFeatures}, got ${dy.dtype} [${dy.shape.join(', ')}]`, 'Pass the gradient of the layer output, shaped like the forward output.');
  }
  const g = (dy as Tensor<'f32'>).reshape([rows, cache.outFeatures]);
  const db = await kernels.matmul(g, cache.h, { transA: true, alpha: layer.scaling });
  const dh = await kernels.matmul(g, layer.b, { alpha: layer.scaling });
  const da = await kernels.matmul(dh, cache.xDropped, { transA: true });
  if (options.inputGrad === false) return { da, db, dx: undefined };
  const weight = isNf4Weight(layer.base) ? await kernels.dequantizeNf4(layer.base) : layer.base;
  const baseGrad = await kernels.matmul(g, weight);
  const dx =
    cache.dropoutScale === undefined
      ? await kernels.matmul(dh, layer.a, { c: baseGrad })
      : addInPlace(baseGrad, multiply(await kernels.matmul(dh, layer.a), cache.dropoutScale));
  return { da, db, dx: dx.reshape(cache.inputShape) };
}

function checkLayer(layer: LoraLinearLayer): [number, number] {
  const [out, inFeatures] = baseShape(layer.base);
  const r = layer.a.shape[0] ?? 0;
  if (layer.a.shape.length !== 2 || layer.a.shape[1] !== inFeatures) {
    throw finetuneError('a', `lora A must be [r, ${inFeatures}], got [${layer.a.shape.join(', ')}]`, 'Create A with initLoraWeights(in, out, r).');
  }
  if (layer.b.shape.length !== 2 || layer.b.shape[0] !== out || layer.b.shape[1] !== r) {
    throw finetuneError('b', `lora B must be [${out}, ${r}], got [${layer.b.shape.join(', ')}]`, 'Create B with initLoraWeights(in, out, r).');
  }
  if (!(layer.dropout >= 0 && layer.dropout < 1)) {
    throw finetuneError('dropout', `dropout must be in [0, 1), got ${layer.dropout}`, 'Use 0.05 or 0.1, or 0 for none.');
  }
  return [out, inFeatures];
}

function dropoutScales(size: number, p: number, options: LoraForwardOptions): Float32Array {
  const keepScale = Math.fround(1 / (1 - p));
  const scales = new Float32Array(size);
  if (options.keepMask !== undefined) {
    if (options.keepMask.length !== size) {
      throw finetuneError('keepMask', `keepMask has ${options.keepMask.length} flags but x has ${size} elements`, 'Give one flag per element of x.');
    }
    for (let i = 0; i < size; i++) scales[i] = options.keepMask[i] ? keepScale : 0;
    return scales;
  }
  if (options.rng === undefined) {
    throw finetuneError('rng', 'training with dropout needs an rng (or an explicit keepMask)', 'Pass the run\'s TrainingRng so the masks are reproducible.');
  }
  for (let i = 0; i < size; i++) scales[i] = options.rng.next() < p ? 0 : keepScale;
  return scales;
}

function multiply(x: Tensor<'f32'>, scales: Float32Array): Tensor<'f32'> {
  const out = Tensor.zeros(x.shape, 'f32');
  for (let i = 0; i < x.size; i++) out.data[i] = x.data[i]! * scales[i]!;
  return out;
}

function addInPlace(target: Tensor<'f32'>, other: Tensor<'f32'>): Tensor<'f32'> {
  for (let i = 0; i < target.size; i++) target.data[i]! += other.data[i]!;
  return target;
}
