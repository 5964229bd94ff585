import { softmax } from '../../kernels/js/softmax.js';
import { randomUniform } from '../../tensor/random-tensor.js';
import type { ConformanceCase } from '../conformance-types.js';

const SHAPES = [[1, 1], [3, 17], [2, 3, 64], [5, 65]];

function label(shape: number[]): string {
  return `[${shape.join(', ')}]`;
}

export const softmaxCases: ConformanceCase<'softmax'>[] = [
  ...[[1], [3, 17], [2, 3, 65], [64, 1]].map(
    (shape): ConformanceCase<'softmax'> => ({
      kernel: 'softmax',
      name: label(shape),
      tolerance: { abs: 1e-6, rel: 1e-5 },
      args: (rng) => [randomUniform(rng, shape, -4, 4)],
    }),
  ),
  {
    kernel: 'softmax',
    name: '[5, 33] large logits (needs max subtraction)',
    tolerance: { abs: 1e-6, rel: 1e-5 },
    args: (rng) => [randomUniform(rng, [5, 33], 500, 600)],
  },
];

export const softmaxBackwardCases: ConformanceCase<'softmaxBackward'>[] = [[1, 1], [3, 17], [2, 5, 33], [4, 64]].map((shape) => ({
  kernel: 'softmaxBackward',
  name: label(shape),
  tolerance: { abs: 1e-6, rel: 1e-5 },
  args: (rng) => [softmax(randomUniform(rng, shape, -3, 3)), randomUniform(rng, shape)],
}));

export const layernormCases: ConformanceCase<'layernorm'>[] = SHAPES.map((shape, i) => {
  const d = shape[shape.length - 1]!;
  const eps = i === 3 ? 1e-3 : undefined;
  return {
    kernel: 'layernorm',
    name: `${label(shape)}${eps === undefined ? '' : ` eps=${eps}`}`,
    tolerance: { abs: 1e-5, rel: 1e-4 },
    args: (rng) => [randomUniform(rng, shape, -2, 3), randomUniform(rng, [d], 0.5, 1.5), randomUniform(rng, [d]), eps === undefined ? {} : { eps }],
  };
});

export const layernormBackwardCases: ConformanceCase<'layernormBackward'>[] = SHAPES.map((shape, i) => {
  const d = shape[shape.length - 1]!;
  const eps = i === 3 ? 1e-3 : undefined;
  return {
    kernel: 'layernormBackward',
    name: `${label(shape)}${eps === undefined ? '' : ` eps=${eps}`}`,
    tolerance: { abs: 1e-4, rel: 1e-3 },
    args: (rng) => [randomUniform(rng, shape, -2, 3), randomUniform(rng, [d], 0.5, 1.5), randomUniform(rng, shape), eps === undefined ? {} : { eps }],
  };
});

export const rmsnormCases: ConformanceCase<'rmsnorm'>[] = SHAPES.map((shape, i) => {
  const d = shape[shape.length - 1]!;
  const eps = i === 3 ? 1e-5 : undefined;
  return {
    kernel: 'rmsnorm',
    name: `${label(shape)}${eps === undefined ? '' : ` eps=${eps}`}`,
    tolerance: { abs: 1e-5, rel: 1e-4 },
    args: (rng) => [randomUniform(rng, shape, -2, 3), randomUniform(rng, [d], 0.5, 1.5), eps === undefined ? {} : { eps }],
  };
});

export const rmsnormBackwardCases: ConformanceCase<'rmsnormBackward'>[] = SHAPES.map((shape, i) => {
  const d = shape[shape.length - 1]!;
  const eps = i === 3 ? 1e-5 : undefined;
  return {
    kernel: 'rmsnormBackward',
    name: `${label(shape)}${eps === undefined ? '' : ` eps=${eps}`}`,
    tolerance: { abs: 1e-4, rel: 1e-3 },
    args: (rng) => [randomUniform(rng, shape, -2, 3), randomUniform(rng, [d], 0.5, 1.5), randomUniform(rng, shape), eps === undefined ? {} : { eps }],
  };
});
