import { describe, expect, it } from 'vitest';
import { randomUniform } from '../../tensor/random-tensor.js';
import { createRng } from '../../tensor/seeded-rng.js';
import { Tensor, tensor } from '../../tensor/tensor.js';
import { gelu, geluBackward, silu, siluBackward } from './activations.js';
import { expectClose, expectFerryError, expectGradientClose, numericGradient, weightedSum } from './kernel-test-utils.test-helper.js';

describe('silu and gelu', () => {
  const rng = createRng(6);
  const x = randomUniform(rng, [3, 11], -6, 6);

  it('silu is x / (1 + exp(-x))', () => {
    expectClose(silu(x).data, Array.from(x.data, (v) => v / (1 + Math.exp(-v))), 1e-6, 1e-6);
  });

  it('gelu is the tanh approximation (PyTorch approximate="tanh" values)', () => {
    // torch.nn.functional.gelu(torch.tensor([1., -1., 3.]), approximate='tanh')
    expectClose(gelu(tensor([1, -1, 3])).data, [0.8411920, -0.1588080, 2.9963627], 1e-6);
    // And not the erf form, whose gelu(1) is 0.8413447.
    expect(Math.abs(gelu(tensor([1])).item() - 0.8413447)).toBeGreaterThan(1e-4);
  });

  it('saturates without NaN for large inputs', () => {
    const out = [...silu(tensor([-1000, 1000])).data, ...gelu(tensor([-1000, 1000])).data];
    expect(out.map((v) => Math.abs(v))).toEqual([0, 1000, 0, 1000]);
  });

  it('backward kernels match central differences', () => {
    const dy = randomUniform(rng, x.shape);
    expectGradientClose(siluBackward(x, dy), numericGradient(() => weightedSum(silu(x), dy), x));
    expectGradientClose(geluBackward(x, dy), numericGradient(() => weightedSum(gelu(x), dy), x));
  });

  it('names the mismatched gradient', () => {
    expectFerryError(() => geluBackward(x, Tensor.zeros([11, 3])), 'TENSOR_SHAPE', 'dy', '[11, 3]', '[3, 11]');
    expectFerryError(() => silu(Tensor.zeros([2], 'u8')), 'KERNEL_BAD_INPUT', 'x', 'u8');
  });
});
