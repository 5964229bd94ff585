import { FerryError, Tensor } from '@ferry/core';

/** Token id -> row of `weight [V, H]`; a gather, which no kernel covers. */
export class Embedding {
  constructor(
    readonly path: string,
    readonly weight: Tensor<'f32'>,
  ) {}

  forward(ids: readonly number[]): Tensor<'f32'> {
    const [vocab, hidden] = this.weight.shape as [number, number];
    const out = new Float32Array(ids.length * hidden);
    ids.forEach((id, t) => {
      if (!Number.isInteger(id) || id < 0 || id >= vocab) {
        throw new FerryError('INPUT_INVALID', `token id ${id} is outside the vocabulary (0..${vocab - 1})`, {
          field: 'ids',
          hint: 'Encode text with the model\'s own tokenizer.',
        });
      }
      out.set(this.weight.data.subarray(id * hidden, (id + 1) * hidden), t * hidden);
    });
    return new Tensor('f32', out, [ids.length, hidden]);
  }
}
