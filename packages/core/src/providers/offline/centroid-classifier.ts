import { z } from 'zod';
import { FerryError, fromZodError } from '../../errors/ferry-error.js';
import type { ClassificationResult, LabelledExample, ModelMetadata, TrainableClassifier } from '../../models/model-types.js';
import { HashingEmbedder, MAX_HASH_DIMS, MIN_HASH_DIMS } from './hashing-embedder.js';
import { labelledExamplesSchema, parseLabelledExamples } from './labelled-examples.js';
import { softmaxRanking } from './softmax-ranking.js';
import { dimensionMajor, normalize, sparseDots } from './vector-math.js';

export const centroidClassifierOptionsSchema = z.strictObject({
  /** Training examples; the classifier is ready at once. Same as calling `fit`. */
  examples: labelledExamplesSchema.optional(),
  /**
   * Softmax temperature over cosine similarities; lower is more confident.
   * 0.03 makes the top score track accuracy on BANKING77 (mean 0.79 at 78%).
   */
  temperature: z.number().positive().max(10).default(0.03),
  /** Hashing dimensions; more means fewer collisions between features. */
  dims: z.number().int().min(MIN_HASH_DIMS).max(MAX_HASH_DIMS).default(2048),
});

export type CentroidClassifierOptions = z.input<typeof centroidClassifierOptionsSchema>;

export const CENTROID_CLASSIFIER_METADATA: ModelMetadata = {
  provider: 'offline',
  model: 'centroid',
  ref: 'offline:centroid',
  task: 'classification',
  neural: false,
  description: 'Nearest-centroid classifier over feature-hashing vectors, trained with fit(); lexical, not a neural model',
};

/**
 * Nearest-centroid classifier over feature-hashing embeddings: each label is
 * the normalised mean of its examples' vectors, and a text goes to the label
 * whose centroid has the highest cosine. Trains in one pass, needs no
 * weights, and learns word overlap only (no paraphrase understanding).
 */
export class CentroidClassifier implements TrainableClassifier {
  readonly metadata: ModelMetadata = CENTROID_CLASSIFIER_METADATA;

  private readonly embedder: HashingEmbedder;
  private readonly temperature: number;
  /** The labels' centroids, dimension-major (see `sparseDots`). */
  private centroids: Float32Array = new Float32Array(0);
  private labelList: string[] = [];

  constructor(options: CentroidClassifierOptions = {}) {
    const parsed = centroidClassifierOptionsSchema.safeParse(options);
    if (!parsed.success) {
      throw fromZodError('INPUT_INVALID', parsed.error, { what: 'offline:centroid options', fieldPrefix: 'options' });
    }
    this.embedder = new HashingEmbedder(parsed.data.dims);
    this.temperature = parsed.data.temperature;
    if (parsed.data.examples) this.train(parsed.data.examples);
  }

  /** Labels in order of first appearance in the training examples. */
  get labels(): readonly string[] {
    return this.labelList;
  }

  /** Replaces what was learned before with the centroids of these examples. */
  async fit(examples: LabelledExample[]): Promise<void> {
    this.train(parseLabelledExamples(examples));
  }

  async classify(texts: string[], options?: { signal?: AbortSignal }): Promise<ClassificationResult[]> {
    if (this.labelList.length === 0) {
      throw new FerryError('INPUT_INVALID', 'offline:centroid has not been trained, so it knows no labels yet', {
        field: 'examples',
        hint: 'Call fit([{ text, label }, ...]) first, or create the model with options { examples: [{ text, label }, ...] }.',
      });
    }
    return texts.map((text) => {
      options?.signal?.throwIfAborted();
      const vector = this.embedder.embedText(text);
      // A message fills a few hundred of the thousands of hashed dimensions; the 77-odd centroids are dense.
      const similarities = sparseDots(vector, this.centroids, this.labelList.length);
      return softmaxRanking(this.labelList, [...similarities], this.temperature);
    });
  }

  private train(examples: LabelledExample[]): void {
    const sums = new Map<string, Float32Array>();
    for (const { text, label } of examples) {
      let sum = sums.get(label);
      if (!sum) {
        sum = new Float32Array(this.embedder.dims);
        sums.set(label, sum);
      }
      const vector = this.embedder.embedText(text);
      for (let i = 0; i < vector.length; i++) sum[i] = (sum[i] as number) + (vector[i] as number);
    }
    this.labelList = [...sums.keys()];
    // The mean's direction is the sum's; normalising makes the score a cosine.
    this.centroids = dimensionMajor([...sums.values()].map(normalize), this.embedder.dims);
  }
}
