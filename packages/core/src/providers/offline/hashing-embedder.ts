import { FerryError } from '../../errors/ferry-error.js';
import type { EmbedOptions, Embedder, ModelMetadata } from '../../models/model-types.js';
import { hashedFeatures, type HashedFeatures } from './text-features.js';
import { normalize, type SparseVector } from './vector-math.js';

export const DEFAULT_HASH_DIMS = 384;
export const MIN_HASH_DIMS = 16;
export const MAX_HASH_DIMS = 8192;

/**
 * Feature-hashing embedder: word unigrams and bigrams, character 3-5-grams
 * and CJK character uni/bigrams, weighted 1 + ln(tf), hashed into `dims`
 * signed buckets and L2-normalised. It captures lexical overlap only (no
 * synonyms, no meaning), is deterministic across runs and machines, and
 * needs no weights. A text with no words (empty, punctuation only) embeds
 * as the zero vector, whose cosine with anything is 0.
 */
export class HashingEmbedder implements Embedder {
  readonly metadata: ModelMetadata;
  readonly dims: number;
  /** `embedSparse`'s accumulator, all zeros between calls. */
  private scratch: Float32Array | undefined;

  constructor(dims = DEFAULT_HASH_DIMS) {
    assertHashDims(dims, 'dims');
    this.dims = dims;
    this.metadata = hashingEmbedderMetadata(dims);
  }

  async embed(texts: string[], options?: EmbedOptions): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (const text of texts) {
      options?.signal?.throwIfAborted();
      vectors.push(this.embedText(text));
    }
    return vectors;
  }

  /** Synchronous form of `embed` for one text, for the other offline models. */
  embedText(text: string): Float32Array {
    const vector = new Float32Array(this.dims);
    this.accumulate(vector, hashedFeatures(text));
    return normalize(vector);
  }

  /**
   * `embedText` as its non-zero entries, bit for bit, without allocating the
   * dense vector: a long document split into sentences has thousands of
   * short ones, each filling a few dozen of the dimensions.
   */
  embedSparse(text: string): SparseVector {
    const scratch = (this.scratch ??= new Float32Array(this.dims));
    const features = hashedFeatures(text);
    this.accumulate(scratch, features);
    const touched = Uint32Array.from(features.hashes, (hash) => this.bucketOf(hash)).sort();
    // Squares summed in index order over the non-zeros, as `normalize` sums them over every entry.
    let sum = 0;
    let count = 0;
    let previous = -1;
    for (let k = 0; k < touched.length; k++) {
      const bucket = touched[k] as number;
      if (bucket === previous) continue;
      previous = bucket;
      const x = scratch[bucket] as number;
      if (x === 0) continue;
      sum += x * x;
      touched[count++] = bucket;
    }
    const indices = touched.slice(0, count);
    const values = new Float32Array(count);
    const scale = sum === 0 ? 1 : 1 / Math.sqrt(sum);
    for (let k = 0; k < count; k++) values[k] = (scratch[indices[k] as number] as number) * scale;
    for (const hash of features.hashes) scratch[this.bucketOf(hash)] = 0;
    return { indices, values };
  }

  /**
   * Adds each feature's weight into its bucket. The top bit of the hash picks
   * the sign and the other 31 the bucket, so colliding features cancel on
   * average instead of piling up.
   */
  private accumulate(vector: Float32Array, { hashes, weights }: HashedFeatures): void {
    for (let k = 0; k < hashes.length; k++) {
      const hash = hashes[k] as number;
      const bucket = this.bucketOf(hash);
      vector[bucket] = (vector[bucket] as number) + (hash >>> 31 ? -1 : 1) * (weights[k] as number);
    }
  }

  private bucketOf(hash: number): number {
    return (hash & 0x7fffffff) % this.dims;
  }
}

export function hashingEmbedderMetadata(dims: number): ModelMetadata {
  const model = `hash-${dims}`;
  return {
    provider: 'offline',
    model,
    ref: `offline:${model}`,
    task: 'embedding',
    neural: false,
    dims,
    description: `Feature hashing of words, word bigrams and character n-grams into ${dims} dims: lexical overlap only, not a neural model`,
  };
}

/** `field` names where the number came from: the constructor argument, or the model id. */
export function assertHashDims(dims: number, field: string): void {
  if (Number.isInteger(dims) && dims >= MIN_HASH_DIMS && dims <= MAX_HASH_DIMS) return;
  throw new FerryError('INPUT_INVALID', `hashing embedder dims must be an integer from ${MIN_HASH_DIMS} to ${MAX_HASH_DIMS}, got ${dims}`, {
    field,
    hint: `Use dims between ${MIN_HASH_DIMS} and ${MAX_HASH_DIMS}, e.g. the model "offline:hash-${DEFAULT_HASH_DIMS}".`,
  });
}
