import type { AdamWOptions, CrossEntropyOptions } from '../../kernels/kernel-types.js';
import { randomInt, randomUniform } from '../../tensor/random-tensor.js';
import type { Rng } from '../../tensor/seeded-rng.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { ConformanceCase } from '../conformance-types.js';

interface LossInput {
  name: string;
  rows: number;
  vocab: number;
  /** Logits are uniform in +-spread. */
  spread: number;
  /** Chance that a row's target is replaced by the ignore index. */
  ignored: number;
  options: CrossEntropyOptions;
}

const LOSS_INPUTS: LossInput[] = [
  { name: 'N=1 V=1', rows: 1, vocab: 1, spread: 3, ignored: 0, options: {} },
  { name: 'N=3 V=17 with ignored rows', rows: 3, vocab: 17, spread: 3, ignored: 0.4, options: {} },
  { name: 'N=17 V=65', rows: 17, vocab: 65, spread: 3, ignored: 0, options: {} },
  { name: 'N=33 V=64 large logits, ignored rows', rows: 33, vocab: 64, spread: 60, ignored: 0.3, options: {} },
  { name: 'N=4 V=5 every row ignored', rows: 4, vocab: 5, spread: 3, ignored: 1, options: {} },
  { name: 'N=6 V=17 ignoreIndex=0', rows: 6, vocab: 17, spread: 3, ignored: 0.5, options: { ignoreIndex: 0 } },
];

function lossArgs(rng: Rng, input: LossInput): [Tensor<'f32'>, Tensor<'i32'>, CrossEntropyOptions] {
  const logits = randomUniform(rng, [input.rows, input.vocab], -input.spread, input.spread);
  const targets = randomInt(rng, [input.rows], 0, input.vocab);
  const ignoreIndex = input.options.ignoreIndex ?? -100;
  for (let i = 0; i < input.rows; i++) if (rng.next() < input.ignored) targets.data[i] = ignoreIndex;
  return [logits, targets, input.options];
}

export const crossEntropyCases: ConformanceCase<'crossEntropy'>[] = LOSS_INPUTS.map((input) => ({
  kernel: 'crossEntropy',
  name: input.name,
  tolerance: { abs: 1e-5, rel: 1e-5 },
  fieldTolerance: { count: { abs: 0, rel: 0 } },
  args: (rng) => lossArgs(rng, input),
}));

export const crossEntropyBackwardCases: ConformanceCase<'crossEntropyBackward'>[] = LOSS_INPUTS.map((input) => ({
  kernel: 'crossEntropyBackward',
  name: input.name,
  tolerance: { abs: 1e-6, rel: 1e-4 },
  args: (rng) => lossArgs(rng, input),
}));

const ADAMW_INPUTS: Array<{ shape: number[]; options: AdamWOptions }> = [
  { shape: [1], options: { lr: 1e-3, step: 1 } },
  { shape: [17], options: { lr: 1e-2, weightDecay: 0.1, step: 10 } },
  { shape: [3, 65], options: { lr: 5e-3, beta1: 0.8, beta2: 0.99, eps: 1e-6, step: 3 } },
  { shape: [64, 33], options: { lr: 1e-3, weightDecay: 0, step: 1000 } },
];

export const adamwCases: ConformanceCase<'adamw'>[] = ADAMW_INPUTS.map(({ shape, options }) => ({
  kernel: 'adamw',
  name: `[${shape.join(', ')}] ${Object.entries(options).map(([key, value]) => `${key}=${String(value)}`).join(' ')}`,
  // Tight: one step changes a parameter by only ~lr, and decay by lr * weightDecay of it.
  tolerance: { abs: 1e-7, rel: 1e-6 },
  args: (rng) => [
    randomUniform(rng, shape),
    randomUniform(rng, shape),
    randomUniform(rng, shape, -0.1, 0.1),
    randomUniform(rng, shape, 0, 0.01),
    options,
  ],
}));
