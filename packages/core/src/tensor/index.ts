export { DTYPES, type AnyTypedArray, type DType, type DTypeArrays, type DTypeOf, type TypedArrayOf } from './dtype.js';
export { randomInt, randomNormal, randomUniform } from './random-tensor.js';
export { createRng, hashSeed, mulberry32, type Rng } from './seeded-rng.js';
export { contiguousStrides, formatShape, sameShape, shapeSize } from './tensor-shape.js';
export { Tensor, tensor, type NestedNumbers } from './tensor.js';
