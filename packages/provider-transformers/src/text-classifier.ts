import type { ClassificationResult, Classifier, ModelMetadata } from '@ferry/core';
import { pipeline, type TextClassificationPipeline } from '@huggingface/transformers';
import { Batcher } from './batcher.js';
import { loadWith, modelMetadata, onnxRequirement, prepareModel, tokenizerRequirement, type ProviderContext } from './model-runtime.js';
import type { ClassificationOptions } from './transformers-config.js';

interface LabelScore {
  label: string;
  score: number;
}

/** A sequence-classification model (sentiment, topic, toxicity...): its own labels, every one scored. */
export class TransformersTextClassifier implements Classifier {
  readonly metadata: ModelMetadata;
  readonly labels: readonly string[];
  private readonly batcher: Batcher<string, ClassificationResult>;

  constructor(
    private readonly classifier: TextClassificationPipeline,
    metadata: ModelMetadata,
    labels: readonly string[],
    batchSize: number,
  ) {
    this.metadata = metadata;
    this.labels = labels;
    this.batcher = new Batcher(batchSize, (texts) => this.forward(texts));
  }

  classify(texts: string[], options: { signal?: AbortSignal } = {}): Promise<ClassificationResult[]> {
    return this.batcher.run(texts, options.signal);
  }

  async dispose(): Promise<void> {
    await this.classifier.dispose();
  }

  private async forward(texts: string[]): Promise<ClassificationResult[]> {
    const out = (await this.classifier(texts, { top_k: null })) as unknown as LabelScore[][];
    return out.map((scores) => ranked(scores));
  }
}

/** Best first, as `ClassificationResult` wants. */
export function ranked(scores: readonly LabelScore[]): ClassificationResult {
  const ranking = [...scores].sort((a, b) => b.score - a.score).map(({ label, score }) => ({ label, score }));
  const best = ranking[0] ?? { label: '', score: 0 };
  return { label: best.label, score: best.score, ranking };
}

/** Labels in id order from a config's `id2label`. */
export function labelsOf(id2label: Record<string, string> | undefined): string[] {
  return Object.entries(id2label ?? {})
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, label]) => label);
}

export async function createTextClassifier(ctx: ProviderContext, model: string, options: ClassificationOptions): Promise<TransformersTextClassifier> {
  const prepared = await prepareModel(ctx, model, options, (folder, dtype) => [tokenizerRequirement(folder), onnxRequirement('model', dtype, folder)]);
  const classifier = await loadWith(prepared, 'a text-classification model', () => pipeline('text-classification', prepared.source.id, prepared.pretrained));
  const labels = labelsOf((classifier.model.config as { id2label?: Record<string, string> }).id2label);
  return new TransformersTextClassifier(classifier, modelMetadata(prepared, 'classification', `text-classification: ${labels.join(', ')}`), labels, ctx.config.batchSize);
}
