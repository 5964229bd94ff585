import {
  checkNumber,
  checkShapeEquals,
  checkTensor,
  lastDim,
  Tensor,
  type KernelSet,
  type LayerNormGrads,
  type LayerNormOptions,
  type RmsNormGrads,
  type RmsNormOptions,
} from '@ferry/core';
import { ACTIVATION, type ActivationOp, type NativeAddon } from './native-addon.js';
import { ASYNC_ELEMENTS, settle } from './settle.js';

/** Kernels over the last dimension and elementwise ones; checks mirror the js reference so errors read the same. */
export function nativeRowwise(addon: NativeAddon): Partial<KernelSet> {
  const big = (t: Tensor): boolean => t.size >= ASYNC_ELEMENTS;
  return {
    softmax(x) {
      checkTensor('softmax', 'x', x, 'f32');
      const d = lastDim('softmax', 'x', x);
      const y = Tensor.zeros(x.shape, 'f32');
      return settle(addon.softmax(x.data, y.data, x.size / d, d, big(x)), y);
    },
    softmaxBackward(y, dy) {
      checkTensor('softmaxBackward', 'y', y, 'f32');
      checkTensor('softmaxBackward', 'dy', dy, 'f32');
      checkShapeEquals('softmaxBackward', 'dy', dy, y.shape, 'the gradient has the shape of the softmax output y');
      const d = lastDim('softmaxBackward', 'y', y);
      const dx = Tensor.zeros(y.shape, 'f32');
      return settle(addon.softmaxBackward(y.data, dy.data, dx.data, y.size / d, d, big(y)), dx);
    },
    rmsnorm(x, gamma, options: RmsNormOptions = {}) {
      checkTensor('rmsnorm', 'x', x, 'f32');
      checkTensor('rmsnorm', 'gamma', gamma, 'f32');
      const { d, eps } = normCheck('rmsnorm', x, gamma, options.eps ?? 1e-6);
      const y = Tensor.zeros(x.shape, 'f32');
      return settle(addon.rmsnorm(x.data, gamma.data, y.data, x.size / d, d, eps, big(x)), y);
    },
    rmsnormBackward(x, gamma, dy, options: RmsNormOptions = {}) {
      checkTensor('rmsnormBackward', 'x', x, 'f32');
      checkTensor('rmsnormBackward', 'gamma', gamma, 'f32');
      checkTensor('rmsnormBackward', 'dy', dy, 'f32');
      const { d, eps } = normCheck('rmsnormBackward', x, gamma, options.eps ?? 1e-6);
      checkShapeEquals('rmsnormBackward', 'dy', dy, x.shape, 'the gradient has the shape of x');
      const grads: RmsNormGrads = { dx: Tensor.zeros(x.shape, 'f32'), dgamma: Tensor.zeros([d], 'f32') };
      return settle(addon.rmsnormBackward(x.data, gamma.data, dy.data, grads.dx.data, grads.dgamma.data, x.size / d, d, eps, big(x)), grads);
    },
    layernorm(x, gamma, beta, options: LayerNormOptions = {}) {
      checkTensor('layernorm', 'x', x, 'f32');
      checkTensor('layernorm', 'gamma', gamma, 'f32');
      checkTensor('layernorm', 'beta', beta, 'f32');
      const { d, eps } = normCheck('layernorm', x, gamma, options.eps ?? 1e-5);
      checkShapeEquals('layernorm', 'beta', beta, [d], 'one shift per element of the last dimension of x');
      const y = Tensor.zeros(x.shape, 'f32');
      return settle(addon.layernorm(x.data, gamma.data, beta.data, y.data, x.size / d, d, eps, big(x)), y);
    },
    layernormBackward(x, gamma, dy, options: LayerNormOptions = {}) {
      checkTensor('layernormBackward', 'x', x, 'f32');
      checkTensor('layernormBackward', 'gamma', gamma, 'f32');
      checkTensor('layernormBackward', 'dy', dy, 'f32');
      const { d, eps } = normCheck('layernormBackward', x, gamma, options.eps ?? 1e-5);
      checkShapeEquals('layernormBackward', 'dy', dy, x.shape, 'the gradient has the shape of x');
      const grads: LayerNormGrads = { dx: Tensor.zeros(x.shape, 'f32'), dgamma: Tensor.zeros([d], 'f32'), dbeta: Tensor.zeros([d], 'f32') };
      const { dx, dgamma, dbeta } = grads;
      return settle(addon.layernormBackward(x.data, gamma.data, dy.data, dx.data, dgamma.data, dbeta.data, x.size / d, d, eps, big(x)), grads);
    },
    silu: (x) => activation(addon, 'silu', ACTIVATION.silu, x),
    siluBackward: (x, dy) => activationBackward(addon, 'siluBackward', ACTIVATION.silu, x, dy),
    gelu: (x) => activation(addon, 'gelu', ACTIVATION.gelu, x),
    geluBackward: (x, dy) => activationBackward(addon, 'geluBackward', ACTIVATION.gelu, x, dy),
  };
}

function normCheck(kernel: string, x: Tensor<'f32'>, gamma: Tensor<'f32'>, eps: number): { d: number; eps: number } {
  const d = lastDim(kernel, 'x', x);
  checkShapeEquals(kernel, 'gamma', gamma, [d], 'one scale per element of the last dimension of x');
  checkNumber(kernel, 'options.eps', eps, { min: 0 });
  return { d, eps };
}

function activation(addon: NativeAddon, kernel: string, op: ActivationOp, x: Tensor): Tensor<'f32'> | Promise<Tensor<'f32'>> {
  checkTensor(kernel, 'x', x, 'f32');
  const y = Tensor.zeros(x.shape, 'f32');
  return settle(addon.activation(op, x.data, y.data, x.size, x.size >= ASYNC_ELEMENTS), y);
}

function activationBackward(addon: NativeAddon, kernel: string, op: ActivationOp, x: Tensor, dy: Tensor): Tensor<'f32'> | Promise<Tensor<'f32'>> {
  checkTensor(kernel, 'x', x, 'f32');
  checkTensor(kernel, 'dy', dy, 'f32');
  checkShapeEquals(kernel, 'dy', dy, x.shape, 'the gradient has the shape of x');
  const dx = Tensor.zeros(x.shape, 'f32');
  return settle(addon.activationBackward(op, x.data, dy.data, dx.data, x.size, x.size >= ASYNC_ELEMENTS), dx);
}
