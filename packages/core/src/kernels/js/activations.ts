import { Tensor } from '../../tensor/tensor.js';
import { activationArgs, activationBackwardArgs, type ActivationBackwardKernel, type ActivationKernel } from '../kernel-args/activation-args.js';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_CUBIC = 0.044715;

export function silu(x: Tensor): Tensor<'f32'> {
  return elementwise('silu', x, (v) => v * sigmoid(v));
}

export function siluBackward(x: Tensor, dy: Tensor): Tensor<'f32'> {
  return elementwiseGrad('siluBackward', x, dy, (v) => {
    const s = sigmoid(v);
    return s * (1 + v * (1 - s));
  });
}

/** GELU, tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), not the erf form. */
export function gelu(x: Tensor): Tensor<'f32'> {
  return elementwise('gelu', x, (v) => 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + GELU_CUBIC * v ** 3))));
}

/** Derivative of the tanh approximation above. */
export function geluBackward(x: Tensor, dy: Tensor): Tensor<'f32'> {
  return elementwiseGrad('geluBackward', x, dy, (v) => {
    const t = Math.tanh(SQRT_2_OVER_PI * (v + GELU_CUBIC * v ** 3));
    return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * v * v);
  });
}

function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

function elementwise(kernel: ActivationKernel, input: Tensor, fn: (v: number) => number): Tensor<'f32'> {
  const { x } = activationArgs(kernel, input);
  const out = Tensor.zeros(x.shape, 'f32');
  for (let i = 0; i < x.size; i++) out.data[i] = fn(x.data[i]!);
  return out;
}

/** dx = dy * f'(x). */
function elementwiseGrad(kernel: ActivationBackwardKernel, xInput: Tensor, dyInput: Tensor, derivative: (v: number) => number): Tensor<'f32'> {
  const { x, dy } = activationBackwardArgs(kernel, xInput, dyInput);
  const dx = Tensor.zeros(x.shape, 'f32');
  for (let i = 0; i < x.size; i++) dx.data[i] = dy.data[i]! * derivative(x.data[i]!);
  return dx;
}
