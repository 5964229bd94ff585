import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../kernel-checks.js';
import { NF4_ABSMAX_BLOCK_SIZE, NF4_BLOCK_SIZE } from '../nf4-format.js';

/** A validated quantizeNf4 call: x flattened into NF4 blocks, and the sizes of the Nf4Tensor parts. */
export interface QuantizeNf4Args {
  x: Tensor<'f32'>;
  /** Bytes of packed codes, two per byte. */
  packedBytes: number;
  /** NF4 blocks, the last one possibly shorter: one absmaxQ entry each. */
  blocks: number;
  /** Groups of blocks sharing one absmaxScale. */
  groups: number;
}

/** Entry check and part sizes of `quantizeNf4`, shared by every backend. */
export function quantizeNf4Args(x: Tensor): QuantizeNf4Args {
  checkTensor('quantizeNf4', 'x', x, 'f32');
  const blocks = Math.ceil(x.size / NF4_BLOCK_SIZE);
  return { x, packedBytes: Math.ceil(x.size / 2), blocks, groups: Math.ceil(blocks / NF4_ABSMAX_BLOCK_SIZE) };
}
