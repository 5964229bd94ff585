import { randomUniform } from '../../tensor/random-tensor.js';
import type { ConformanceCase } from '../conformance-types.js';

const TOLERANCE = { abs: 1e-5, rel: 1e-5 };

export const topkSimilarityCases: ConformanceCase<'topkSimilarity'>[] = [
  {
    kernel: 'topkSimilarity',
    name: '1-D query, N=65 D=17 k=5 cosine',
    tolerance: TOLERANCE,
    args: (rng) => [randomUniform(rng, [17]), randomUniform(rng, [65, 17]), { k: 5, metric: 'cosine' }],
  },
  {
    kernel: 'topkSimilarity',
    name: 'Q=3 N=64 D=33 k=10 dot',
    tolerance: TOLERANCE,
    args: (rng) => [randomUniform(rng, [3, 33]), randomUniform(rng, [64, 33]), { k: 10, metric: 'dot' }],
  },
  {
    kernel: 'topkSimilarity',
    name: 'Q=17 N=3 D=3 k=10 clipped to N, default metric',
    tolerance: TOLERANCE,
    args: (rng) => [randomUniform(rng, [17, 3]), randomUniform(rng, [3, 3]), { k: 10 }],
  },
  {
    kernel: 'topkSimilarity',
    name: 'Q=2 N=33 D=8 k=1 dot',
    tolerance: TOLERANCE,
    args: (rng) => [randomUniform(rng, [2, 8]), randomUniform(rng, [33, 8]), { k: 1, metric: 'dot' }],
  },
  {
    kernel: 'topkSimilarity',
    name: 'cosine with zero rows, Q=4 N=16 D=5 k=16',
    tolerance: TOLERANCE,
    args: (rng) => {
      const matrix = randomUniform(rng, [16, 5]);
      matrix.data.fill(0, 10, 20);
      return [randomUniform(rng, [4, 5]), matrix, { k: 16, metric: 'cosine' }];
    },
  },
];
