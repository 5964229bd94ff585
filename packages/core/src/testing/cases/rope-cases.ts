import type { RopeOptions } from '../../kernels/kernel-types.js';
import { randomUniform } from '../../tensor/random-tensor.js';
import type { ConformanceCase } from '../conformance-types.js';

const INPUTS: Array<{ shape: number[]; options: RopeOptions }> = [
  { shape: [1, 1, 1, 2], options: {} },
  { shape: [2, 3, 4, 8], options: {} },
  { shape: [1, 5, 3, 16], options: { positionOffset: 7, theta: 500000 } },
  { shape: [2, 17, 2, 64], options: { positionOffset: 33 } },
  { shape: [1, 3, 1, 130], options: { positionOffset: 65, theta: 1000 } },
];

// f32 implementations compute angles of up to ~100 rad in f32: a few 1e-6 of error.
const TOLERANCE = { abs: 5e-5, rel: 1e-4 };

function name({ shape, options }: { shape: number[]; options: RopeOptions }): string {
  const extra = Object.entries(options).map(([key, value]) => ` ${key}=${String(value)}`).join('');
  return `[${shape.join(', ')}]${extra}`;
}

export const ropeCases: ConformanceCase<'rope'>[] = INPUTS.map((input) => ({
  kernel: 'rope',
  name: name(input),
  tolerance: TOLERANCE,
  args: (rng) => [randomUniform(rng, input.shape), input.options],
}));

export const ropeBackwardCases: ConformanceCase<'ropeBackward'>[] = INPUTS.map((input) => ({
  kernel: 'ropeBackward',
  name: name(input),
  tolerance: TOLERANCE,
  args: (rng) => [randomUniform(rng, input.shape), input.options],
}));
