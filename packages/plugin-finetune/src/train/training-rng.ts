import { finetuneError } from '../finetune-error.js';

/**
 * A seeded PRNG whose whole state is one uint32, so a checkpoint can store it
 * and a resumed run draws exactly the numbers the uninterrupted run would
 * have. Same mulberry32 stream as @ferry/core's createRng, which hides its state.
 */
export class TrainingRng {
  private state: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw finetuneError('seed', `seed must be an integer, got ${String(seed)}`, 'Use a whole number such as 42.');
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Integer in [low, high). */
  int(low: number, high: number): number {
    return low + Math.floor((high - low) * this.next());
  }

  /** In-place Fisher-Yates shuffle. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i + 1);
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }

  getState(): number {
    return this.state;
  }

  setState(state: number): void {
    if (!Number.isInteger(state) || state < 0 || state > 0xffffffff) {
      throw finetuneError('rngState', `RNG state must be a uint32, got ${String(state)}`, 'Restore the value getState() returned.');
    }
    this.state = state;
  }
}
