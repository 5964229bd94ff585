import { randomUniform } from '../../tensor/random-tensor.js';
import type { Rng } from '../../tensor/seeded-rng.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { ConformanceCase } from '../conformance-types.js';

interface Input {
  shape: number[];
  range: number;
}

/** The last input reaches far into saturation, where naive exp overflows. */
const INPUTS: Input[] = [
  { shape: [1], range: 6 },
  { shape: [17], range: 6 },
  { shape: [3, 65], range: 6 },
  { shape: [2, 3, 33], range: 40 },
];
const FORWARD = { abs: 1e-6, rel: 1e-5 };
const BACKWARD = { abs: 1e-5, rel: 1e-4 };

const name = ({ shape, range }: Input): string => `[${shape.join(', ')}] in +-${range}`;
const x = (rng: Rng, { shape, range }: Input): Tensor<'f32'> => randomUniform(rng, shape, -range, range);

export const siluCases: ConformanceCase<'silu'>[] = INPUTS.map((input) => ({
  kernel: 'silu',
  name: name(input),
  tolerance: FORWARD,
  args: (rng) => [x(rng, input)],
}));

export const geluCases: ConformanceCase<'gelu'>[] = INPUTS.map((input) => ({
  kernel: 'gelu',
  name: name(input),
  tolerance: FORWARD,
  args: (rng) => [x(rng, input)],
}));

export const siluBackwardCases: ConformanceCase<'siluBackward'>[] = INPUTS.map((input) => ({
  kernel: 'siluBackward',
  name: name(input),
  tolerance: BACKWARD,
  args: (rng) => [x(rng, input), randomUniform(rng, input.shape)],
}));

export const geluBackwardCases: ConformanceCase<'geluBackward'>[] = INPUTS.map((input) => ({
  kernel: 'geluBackward',
  name: name(input),
  tolerance: BACKWARD,
  args: (rng) => [x(rng, input), randomUniform(rng, input.shape)],
}));
