import { randomUniform } from '../../tensor/random-tensor.js';
import { Tensor } from '../../tensor/tensor.js';
import type { ConformanceCase } from '../conformance-types.js';

const SIZES = [1, 3, 17, 33, 64, 65];
const TOLERANCE = { abs: 1e-4, rel: 1e-4 };

function stored(rows: number, cols: number, transposed: boolean): number[] {
  return transposed ? [cols, rows] : [rows, cols];
}

function plain(m: number, k: number, n: number, transA: boolean, transB: boolean): ConformanceCase<'matmul'> {
  const flags = `${transA ? ' transA' : ''}${transB ? ' transB' : ''}`;
  return {
    kernel: 'matmul',
    name: `M=${m} K=${k} N=${n}${flags}`,
    tolerance: TOLERANCE,
    args: (rng) => [randomUniform(rng, stored(m, k, transA)), randomUniform(rng, stored(k, n, transB)), { transA, transB }],
  };
}

/**
 * Every size appears as M, K and N, and every transpose combination many
 * times, without the full 6^3 x 4 product.
 */
const grid = SIZES.flatMap((m, i) =>
  SIZES.map((n, j) => {
    const combo = (i + 2 * j) % 4;
    return plain(m, SIZES[(i + j + 1) % SIZES.length]!, n, (combo & 1) === 1, (combo & 2) === 2);
  }),
);

const withC: ConformanceCase<'matmul'>[] = [
  {
    kernel: 'matmul',
    name: 'alpha=0.5 beta=-2 with c, M=17 K=33 N=3',
    tolerance: TOLERANCE,
    args: (rng) => [randomUniform(rng, [17, 33]), randomUniform(rng, [33, 3]), { alpha: 0.5, beta: -2, c: randomUniform(rng, [17, 3]) }],
  },
  {
    kernel: 'matmul',
    name: 'beta defaults to 1 with c, M=3 K=65 N=17 transA transB',
    tolerance: TOLERANCE,
    args: (rng) => [randomUniform(rng, [65, 3]), randomUniform(rng, [17, 65]), { transA: true, transB: true, c: randomUniform(rng, [3, 17]) }],
  },
  {
    kernel: 'matmul',
    name: 'alpha=-1.5 beta=0 does not read c (NaN), M=64 K=3 N=33',
    tolerance: TOLERANCE,
    args: (rng) => {
      const c = Tensor.zeros([64, 33]);
      c.data.fill(Number.NaN);
      return [randomUniform(rng, [64, 3]), randomUniform(rng, [3, 33]), { alpha: -1.5, beta: 0, c }];
    },
  },
];

const batched: ConformanceCase<'matmul'>[] = [
  {
    kernel: 'matmul',
    name: 'batched B=3 M=17 K=33 N=5',
    tolerance: TOLERANCE,
    args: (rng) => [randomUniform(rng, [3, 17, 33]), randomUniform(rng, [3, 33, 5])],
  },
  {
    kernel: 'matmul',
    name: 'batched B=2 M=3 K=17 N=65 transA transB',
    tolerance: TOLERANCE,
    args: (rng) => [randomUniform(rng, [2, 17, 3]), randomUniform(rng, [2, 65, 17]), { transA: true, transB: true }],
  },
  {
    kernel: 'matmul',
    name: 'batched B=4 M=5 K=64 N=3 with 2-D b broadcast',
    tolerance: TOLERANCE,
    args: (rng) => [randomUniform(rng, [4, 5, 64]), randomUniform(rng, [64, 3])],
  },
  {
    kernel: 'matmul',
    name: 'batched B=2 M=33 K=1 N=17 transB, 2-D b broadcast, alpha=2 beta=0.5 with c',
    tolerance: TOLERANCE,
    args: (rng) => [randomUniform(rng, [2, 33, 1]), randomUniform(rng, [17, 1]), { transB: true, alpha: 2, beta: 0.5, c: randomUniform(rng, [2, 33, 17]) }],
  },
];

export const matmulCases: ConformanceCase<'matmul'>[] = [...grid, ...withC, ...batched];
