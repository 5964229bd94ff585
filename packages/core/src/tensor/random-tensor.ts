import type { Rng } from './seeded-rng.js';
import { shapeSize } from './tensor-shape.js';
import { Tensor } from './tensor.js';

/** f32 tensor, uniform in [low, high). */
export function randomUniform(rng: Rng, shape: readonly number[], low = -1, high = 1): Tensor<'f32'> {
  const out = Tensor.zeros(shape, 'f32');
  for (let i = 0; i < out.size; i++) out.data[i] = rng.uniform(low, high);
  return out;
}

/** f32 tensor, normal with the given mean and standard deviation. */
export function randomNormal(rng: Rng, shape: readonly number[], mean = 0, std = 1): Tensor<'f32'> {
  const out = Tensor.zeros(shape, 'f32');
  for (let i = 0; i < out.size; i++) out.data[i] = mean + std * rng.normal();
  return out;
}

/** i32 tensor, integers uniform in [low, high). */
export function randomInt(rng: Rng, shape: readonly number[], low: number, high: number): Tensor<'i32'> {
  const data = new Int32Array(shapeSize(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.int(low, high);
  return new Tensor('i32', data, shape);
}
