import { describe, it } from 'vitest';
import { randomUniform } from '../../tensor/random-tensor.js';
import { createRng } from '../../tensor/seeded-rng.js';
import { Tensor } from '../../tensor/tensor.js';
import { adamw } from './adamw.js';
import { expectClose, expectFerryError } from './kernel-test-utils.test-helper.js';

describe('adamw', () => {
  const rng = createRng(9);

  it('follows torch.optim.AdamW over several steps', () => {
    const param = randomUniform(rng, [13]);
    const m = Tensor.zeros([13]);
    const v = Tensor.zeros([13]);
    const hp = { lr: 0.01, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.1 };
    // Reference state in f64, written as in the PyTorch docs' pseudo-code.
    const p = Array.from(param.data);
    const mRef = p.map(() => 0);
    const vRef = p.map(() => 0);
    for (let step = 1; step <= 4; step++) {
      const grad = randomUniform(rng, [13]);
      adamw(param, grad, m, v, { ...hp, step });
      for (let i = 0; i < p.length; i++) {
        const g = grad.data[i]!;
        p[i] = p[i]! - hp.lr * hp.weightDecay * p[i]!;
        mRef[i] = hp.beta1 * mRef[i]! + (1 - hp.beta1) * g;
        vRef[i] = hp.beta2 * vRef[i]! + (1 - hp.beta2) * g * g;
        const mHat = mRef[i]! / (1 - hp.beta1 ** step);
        const vHat = vRef[i]! / (1 - hp.beta2 ** step);
        p[i] = p[i]! - (hp.lr * mHat) / (Math.sqrt(vHat) + hp.eps);
      }
    }
    expectClose(param.data, p, 1e-6, 1e-5);
    expectClose(m.data, mRef, 1e-7, 1e-5);
    expectClose(v.data, vRef, 1e-7, 1e-5);
  });

  it('moves every parameter by about lr on the first step (bias correction)', () => {
    const param = Tensor.zeros([4]);
    adamw(param, Tensor.from([3, -0.001, 50, -7]), Tensor.zeros([4]), Tensor.zeros([4]), { lr: 0.1, step: 1, weightDecay: 0 });
    expectClose(param.data, [-0.1, 0.1, -0.1, 0.1], 1e-5);
  });

  it('decays the parameter itself, independent of the gradient', () => {
    const param = Tensor.from([2, -4]);
    adamw(param, Tensor.zeros([2]), Tensor.zeros([2]), Tensor.zeros([2]), { lr: 0.5, weightDecay: 0.2, step: 3 });
    expectClose(param.data, [1.8, -3.6], 1e-6);
  });

  it('names the bad argument', () => {
    const t = () => Tensor.zeros([3]);
    expectFerryError(() => adamw(t(), t(), t(), Tensor.zeros([4]), { lr: 0.1, step: 1 }), 'TENSOR_SHAPE', 'v', '[4]', '[3]');
    expectFerryError(() => adamw(t(), t(), t(), t(), { lr: 0.1, step: 0 }), 'KERNEL_BAD_INPUT', 'options.step');
    expectFerryError(() => adamw(t(), t(), t(), t(), { lr: 0.1, step: 1, beta2: 1 }), 'KERNEL_BAD_INPUT', 'options.beta2');
  });
});
