import {
  activationArgs,
  activationBackwardArgs,
  layernormArgs,
  layernormBackwardArgs,
  rmsnormArgs,
  rmsnormBackwardArgs,
  softmaxArgs,
  softmaxBackwardArgs,
  Tensor,
  type ActivationBackwardKernel,
  type ActivationKernel,
  type KernelSet,
  type LayerNormGrads,
  type RmsNormGrads,
} from '@ferry/core';
import { ACTIVATION, type ActivationOp, type NativeAddon } from './native-addon.js';
import { ASYNC_ELEMENTS, settle } from './settle.js';

/** Kernels over the last dimension and elementwise ones; checked by core's *Args functions like every backend, so errors read the same. */
export function nativeRowwise(addon: NativeAddon): Partial<KernelSet> {
  const big = (t: Tensor): boolean => t.size >= ASYNC_ELEMENTS;
  return {
    softmax(input) {
      const { x, rows, d } = softmaxArgs(input);
      const y = Tensor.zeros(x.shape, 'f32');
      return settle(addon.softmax(x.data, y.data, rows, d, big(x)), y);
    },
    softmaxBackward(yInput, dyInput) {
      const { y, dy, rows, d } = softmaxBackwardArgs(yInput, dyInput);
      const dx = Tensor.zeros(y.shape, 'f32');
      return settle(addon.softmaxBackward(y.data, dy.data, dx.data, rows, d, big(y)), dx);
    },
    rmsnorm(xInput, gammaInput, options) {
      const { x, gamma, rows, d, eps } = rmsnormArgs(xInput, gammaInput, options);
      const y = Tensor.zeros(x.shape, 'f32');
      return settle(addon.rmsnorm(x.data, gamma.data, y.data, rows, d, eps, big(x)), y);
    },
    rmsnormBackward(xInput, gammaInput, dyInput, options) {
      const { x, gamma, dy, rows, d, eps } = rmsnormBackwardArgs(xInput, gammaInput, dyInput, options);
      const grads: RmsNormGrads = { dx: Tensor.zeros(x.shape, 'f32'), dgamma: Tensor.zeros([d], 'f32') };
      return settle(addon.rmsnormBackward(x.data, gamma.data, dy.data, grads.dx.data, grads.dgamma.data, rows, d, eps, big(x)), grads);
    },
    layernorm(xInput, gammaInput, betaInput, options) {
      const { x, gamma, beta, rows, d, eps } = layernormArgs(xInput, gammaInput, betaInput, options);
      const y = Tensor.zeros(x.shape, 'f32');
      return settle(addon.layernorm(x.data, gamma.data, beta.data, y.data, rows, d, eps, big(x)), y);
    },
    layernormBackward(xInput, gammaInput, dyInput, options) {
      const { x, gamma, dy, rows, d, eps } = layernormBackwardArgs(xInput, gammaInput, dyInput, options);
      const grads: LayerNormGrads = { dx: Tensor.zeros(x.shape, 'f32'), dgamma: Tensor.zeros([d], 'f32'), dbeta: Tensor.zeros([d], 'f32') };
      const { dx, dgamma, dbeta } = grads;
      return settle(addon.layernormBackward(x.data, gamma.data, dy.data, dx.data, dgamma.data, dbeta.data, rows, d, eps, big(x)), grads);
    },
    silu: (x) => activation(addon, 'silu', ACTIVATION.silu, x),
    siluBackward: (x, dy) => activationBackward(addon, 'siluBackward', ACTIVATION.silu, x, dy),
    gelu: (x) => activation(addon, 'gelu', ACTIVATION.gelu, x),
    geluBackward: (x, dy) => activationBackward(addon, 'geluBackward', ACTIVATION.gelu, x, dy),
  };
}

function activation(addon: NativeAddon, kernel: ActivationKernel, op: ActivationOp, input: Tensor): Tensor<'f32'> | Promise<Tensor<'f32'>> {
  const { x } = activationArgs(kernel, input);
  const y = Tensor.zeros(x.shape, 'f32');
  return settle(addon.activation(op, x.data, y.data, x.size, x.size >= ASYNC_ELEMENTS), y);
}

function activationBackward(addon: NativeAddon, kernel: ActivationBackwardKernel, op: ActivationOp, xInput: Tensor, dyInput: Tensor): Tensor<'f32'> | Promise<Tensor<'f32'>> {
  const { x, dy } = activationBackwardArgs(kernel, xInput, dyInput);
  const dx = Tensor.zeros(x.shape, 'f32');
  return settle(addon.activationBackward(op, x.data, dy.data, dx.data, x.size, x.size >= ASYNC_ELEMENTS), dx);
}
