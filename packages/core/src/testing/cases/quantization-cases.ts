import type { Nf4Tensor } from '../../kernels/kernel-types.js';
import { quantizeNf4 } from '../../kernels/js/nf4.js';
import { NF4_ABSMAX_BLOCK_SIZE, NF4_BLOCK_SIZE } from '../../kernels/nf4-format.js';
import { randomInt, randomNormal, randomUniform } from '../../tensor/random-tensor.js';
import type { Rng } from '../../tensor/seeded-rng.js';
import { shapeSize } from '../../tensor/tensor-shape.js';
import { Tensor } from '../../tensor/tensor.js';
import type { ConformanceCase } from '../conformance-types.js';

const label = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

export const quantizeInt8Cases: ConformanceCase<'quantizeInt8'>[] = [
  ...[[1, 1], [3, 17], [17, 65], [64, 33]].map(
    (shape): ConformanceCase<'quantizeInt8'> => ({
      kernel: 'quantizeInt8',
      name: label(shape),
      tolerance: { abs: 1e-9, rel: 1e-6 },
      args: (rng) => [randomNormal(rng, shape, 0, 2)],
    }),
  ),
  {
    kernel: 'quantizeInt8',
    name: '[4, 16] with a row of zeros',
    tolerance: { abs: 1e-9, rel: 1e-6 },
    args: (rng) => {
      const x = randomNormal(rng, [4, 16]);
      x.data.fill(0, 32, 48);
      return [x];
    },
  },
];

export const dequantizeInt8Cases: ConformanceCase<'dequantizeInt8'>[] = [[1, 1], [3, 17], [33, 65]].map((shape) => ({
  kernel: 'dequantizeInt8',
  name: label(shape),
  tolerance: { abs: 1e-7, rel: 1e-6 },
  args: (rng) => [
    new Tensor('i8', Int8Array.from(randomInt(rng, shape, -127, 128).data), shape),
    randomUniform(rng, [shape[0]!], 0, 0.1),
  ],
}));

/** Weight-like data: normal with the spread of a trained linear layer. */
const NF4_SHAPES = [[1], [63], [64], [65], [3, 17], [17, 33], [129, 129]];

export const quantizeNf4Cases: ConformanceCase<'quantizeNf4'>[] = [
  ...NF4_SHAPES.map(
    (shape): ConformanceCase<'quantizeNf4'> => ({
      kernel: 'quantizeNf4',
      name: `${label(shape)}${shapeSize(shape) > NF4_BLOCK_SIZE * NF4_ABSMAX_BLOCK_SIZE ? ' (two absmax groups)' : ''}`,
      tolerance: { abs: 1e-9, rel: 1e-5 },
      args: (rng) => [randomNormal(rng, shape, 0, 0.02)],
    }),
  ),
  {
    kernel: 'quantizeNf4',
    name: '[2, 64] all zeros',
    tolerance: { abs: 1e-9, rel: 1e-5 },
    args: () => [Tensor.zeros([2, 64])],
  },
];

/** Arbitrary (not quantizer-made) NF4 data, so decoding is checked on every code and absmax code. */
function randomNf4(rng: Rng, shape: readonly number[]): Nf4Tensor {
  const size = shapeSize(shape);
  const blocks = Math.ceil(size / NF4_BLOCK_SIZE);
  const packed = new Uint8Array(Math.ceil(size / 2));
  for (let i = 0; i < packed.length; i++) packed[i] = rng.int(0, 256);
  const absmaxQ = new Int8Array(blocks);
  for (let i = 0; i < blocks; i++) absmaxQ[i] = rng.int(-127, 128);
  return {
    shape,
    packed: new Tensor('u8', packed, [packed.length]),
    absmaxQ: new Tensor('i8', absmaxQ, [blocks]),
    absmaxScale: randomUniform(rng, [Math.ceil(blocks / NF4_ABSMAX_BLOCK_SIZE)], 1e-4, 1e-3),
    absmaxMean: Math.fround(rng.uniform(0.05, 0.1)),
    blockSize: NF4_BLOCK_SIZE,
    absmaxBlockSize: NF4_ABSMAX_BLOCK_SIZE,
  };
}

export const dequantizeNf4Cases: ConformanceCase<'dequantizeNf4'>[] = [[1], [65], [17, 33], [129, 129]].map((shape) => ({
  kernel: 'dequantizeNf4',
  name: label(shape),
  tolerance: { abs: 1e-7, rel: 1e-6 },
  args: (rng) => [randomNf4(rng, shape)],
}));

const NF4_MATMUL: Array<{ x: number[]; w: number[] }> = [
  { x: [1, 1], w: [1, 1] },
  { x: [3, 17], w: [5, 17] },
  { x: [2, 3, 65], w: [17, 65] },
  { x: [4, 64], w: [33, 64] },
  { x: [1, 33], w: [65, 33] },
];

export const nf4MatmulCases: ConformanceCase<'nf4Matmul'>[] = [
  ...NF4_MATMUL.map(
    ({ x, w }): ConformanceCase<'nf4Matmul'> => ({
      kernel: 'nf4Matmul',
      name: `x ${label(x)} w ${label(w)}`,
      tolerance: { abs: 1e-5, rel: 1e-4 },
      args: (rng) => [randomUniform(rng, x), randomNf4(rng, w)],
    }),
  ),
  {
    kernel: 'nf4Matmul',
    name: 'x [5, 129] w [129, 129] quantized by quantizeNf4',
    tolerance: { abs: 1e-5, rel: 1e-4 },
    args: (rng) => [randomUniform(rng, [5, 129]), quantizeNf4(randomNormal(rng, [129, 129], 0, 0.02))],
  },
];
