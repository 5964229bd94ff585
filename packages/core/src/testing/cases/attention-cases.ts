import type { AttentionOptions } from '../../kernels/kernel-types.js';
import { randomUniform } from '../../tensor/random-tensor.js';
import type { Rng } from '../../tensor/seeded-rng.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { ConformanceCase } from '../conformance-types.js';

interface Geometry {
  name: string;
  b: number;
  t: number;
  s: number;
  hq: number;
  hkv: number;
  d: number;
  options: AttentionOptions;
}

const GEOMETRIES: Geometry[] = [
  { name: 'B=1 T=S=1 H=1 D=1', b: 1, t: 1, s: 1, hq: 1, hkv: 1, d: 1, options: {} },
  { name: 'causal B=2 T=S=5 H=4 D=8', b: 2, t: 5, s: 5, hq: 4, hkv: 4, d: 8, options: {} },
  { name: 'GQA causal Hq=6 Hkv=2 T=S=17 D=16', b: 1, t: 17, s: 17, hq: 6, hkv: 2, d: 16, options: { causal: true } },
  { name: 'MQA non-causal Hq=4 Hkv=1 T=3 S=33 D=64', b: 1, t: 3, s: 33, hq: 4, hkv: 1, d: 64, options: { causal: false } },
  { name: 'GQA KV cache, causal aligned to the end: T=3 S=17 Hq=4 Hkv=2 D=33', b: 2, t: 3, s: 17, hq: 4, hkv: 2, d: 33, options: {} },
  { name: 'causal T=5 > S=3: unseeing rows are 0, Hq=2 Hkv=1 D=4', b: 1, t: 5, s: 3, hq: 2, hkv: 1, d: 4, options: {} },
  { name: 'scale=0.3 non-causal B=1 T=S=9 H=3 D=65', b: 1, t: 9, s: 9, hq: 3, hkv: 3, d: 65, options: { causal: false, scale: 0.3 } },
];

function qkv(rng: Rng, g: Geometry): [Tensor<'f32'>, Tensor<'f32'>, Tensor<'f32'>] {
  return [
    randomUniform(rng, [g.b, g.t, g.hq, g.d]),
    randomUniform(rng, [g.b, g.s, g.hkv, g.d]),
    randomUniform(rng, [g.b, g.s, g.hkv, g.d]),
  ];
}

export const attentionCases: ConformanceCase<'attention'>[] = GEOMETRIES.map((g) => ({
  kernel: 'attention',
  name: g.name,
  tolerance: { abs: 1e-5, rel: 1e-4 },
  args: (rng) => [...qkv(rng, g), g.options],
}));

export const attentionBackwardCases: ConformanceCase<'attentionBackward'>[] = GEOMETRIES.map((g) => ({
  kernel: 'attentionBackward',
  name: g.name,
  tolerance: { abs: 1e-4, rel: 1e-3 },
  args: (rng) => [...qkv(rng, g), randomUniform(rng, [g.b, g.t, g.hq, g.d]), g.options],
}));
