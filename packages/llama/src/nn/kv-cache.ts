import { FerryError, Tensor } from '@ferry/core';

/** Keys and values of one layer, `[capacity, kvHeads, headDim]` each, filled up to the cache length. */
interface LayerSlots {
  keys: Float32Array;
  values: Float32Array;
}

/**
 * Post-rope keys and values of every layer for one sequence. Storage grows by
 * doubling up to `maxPositions`; `dispose()` drops it (a cancelled generation
 * calls it), after which `byteLength` is 0 and any use throws.
 */
export class KvCache {
  private slots: LayerSlots[];
  private capacity: number;
  private used = 0;
  private freed = false;
  private readonly rowSize: number;

  constructor(
    readonly numLayers: number,
    readonly numKvHeads: number,
    readonly headDim: number,
    readonly maxPositions: number,
    initialCapacity = 64,
    private readonly onDispose?: (cache: KvCache) => void,
  ) {
    this.rowSize = numKvHeads * headDim;
    this.capacity = Math.max(1, Math.min(initialCapacity, maxPositions));
    this.slots = Array.from({ length: numLayers }, () => this.allocate(this.capacity));
  }

  /** Tokens cached so far (the position of the next token). */
  get length(): number {
    return this.used;
  }

  get disposed(): boolean {
    return this.freed;
  }

  /** Bytes of key/value storage held; 0 once disposed. */
  get byteLength(): number {
    return this.freed ? 0 : this.numLayers * 2 * this.capacity * this.rowSize * 4;
  }

  /**
   * Appends `[T, kvHeads, headDim]` keys/values for `layer` at the current
   * length and returns views `[1, length + T, kvHeads, headDim]` over everything
   * cached. The length advances once every layer has appended (see `commit`).
   */
  append(layer: number, keys: Tensor<'f32'>, values: Tensor<'f32'>): { keys: Tensor<'f32'>; values: Tensor<'f32'> } {
    this.check();
    const time = keys.size / this.rowSize;
    this.reserve(this.used + time);
    const slot = this.slots[layer]!;
    slot.keys.set(keys.data, this.used * this.rowSize);
    slot.values.set(values.data, this.used * this.rowSize);
    const total = this.used + time;
    const shape = [1, total, this.numKvHeads, this.headDim];
    return {
      keys: new Tensor('f32', slot.keys.subarray(0, total * this.rowSize), shape),
      values: new Tensor('f32', slot.values.subarray(0, total * this.rowSize), shape),
    };
  }

  /** Advances the length by `time` tokens after a forward pass appended them to every layer. */
  commit(time: number): void {
    this.check();
    this.used += time;
  }

  /** Idempotent. */
  dispose(): void {
    if (this.freed) return;
    this.freed = true;
    this.slots = [];
    this.onDispose?.(this);
  }

  private reserve(needed: number): void {
    if (needed > this.maxPositions) {
      throw new FerryError('INPUT_INVALID', `the sequence needs ${needed} positions but the model has max_position_embeddings ${this.maxPositions}`, {
        field: 'maxTokens',
        hint: 'Shorten the prompt or lower maxTokens.',
      });
    }
    if (needed <= this.capacity) return;
    const capacity = Math.min(this.maxPositions, Math.max(needed, this.capacity * 2));
    this.slots = this.slots.map((old) => {
      const grown = this.allocate(capacity);
      grown.keys.set(old.keys.subarray(0, this.used * this.rowSize));
      grown.values.set(old.values.subarray(0, this.used * this.rowSize));
      return grown;
    });
    this.capacity = capacity;
  }

  private allocate(capacity: number): LayerSlots {
    return { keys: new Float32Array(capacity * this.rowSize), values: new Float32Array(capacity * this.rowSize) };
  }

  private check(): void {
    if (this.freed) {
      throw new FerryError('INPUT_INVALID', 'this KV cache was disposed (its generation ended or was cancelled)', {
        field: 'cache',
        hint: 'Start a new generation; a cache is not reused after dispose().',
      });
    }
  }
}
