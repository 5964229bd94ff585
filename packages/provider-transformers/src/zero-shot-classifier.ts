import { FerryError, type ClassificationResult, type Classifier, type ModelMetadata } from '@ferry/core';
import { pipeline, type ZeroShotClassificationPipeline } from '@huggingface/transformers';
import { loadWith, modelMetadata, onnxRequirement, prepareModel, tokenizerRequirement, type ProviderContext } from './model-runtime.js';
import { labelsOf, ranked } from './text-classifier.js';
import type { ClassificationOptions } from './transformers-config.js';

interface ZeroShotOutput {
  labels: string[];
  scores: number[];
}

/**
 * Zero-shot classification with an NLI model (BART-MNLI, DeBERTa-MNLI...):
 * each candidate label is put into the hypothesis template and scored by how
 * strongly the text entails it.
 */
export class TransformersZeroShotClassifier implements Classifier {
  readonly metadata: ModelMetadata;
  readonly labels: readonly string[];

  constructor(
    private readonly classifier: ZeroShotClassificationPipeline,
    metadata: ModelMetadata,
    private readonly options: Pick<ClassificationOptions, 'hypothesisTemplate' | 'multiLabel'> & { labels: string[] },
  ) {
    this.metadata = metadata;
    this.labels = options.labels;
  }

  async classify(texts: string[], options: { signal?: AbortSignal } = {}): Promise<ClassificationResult[]> {
    const results: ClassificationResult[] = [];
    for (const text of texts) {
      options.signal?.throwIfAborted();
      const out = (await this.classifier(text, this.options.labels, {
        hypothesis_template: this.options.hypothesisTemplate,
        multi_label: this.options.multiLabel,
      })) as ZeroShotOutput;
      results.push(ranked(out.labels.map((label, i) => ({ label, score: out.scores[i] ?? 0 }))));
    }
    return results;
  }

  async dispose(): Promise<void> {
    await this.classifier.dispose();
  }
}

export async function createZeroShotClassifier(
  ctx: ProviderContext,
  model: string,
  options: ClassificationOptions & { labels: string[] },
): Promise<TransformersZeroShotClassifier> {
  const prepared = await prepareModel(ctx, model, options, (folder, dtype) => [tokenizerRequirement(folder), onnxRequirement('model', dtype, folder)]);
  const modelLabels = labelsOf(prepared.modelConfig?.id2label);
  if (prepared.modelConfig !== undefined && !modelLabels.some((l) => l.toLowerCase() === 'entailment')) {
    throw new FerryError('MODEL_TASK_UNSUPPORTED', `${prepared.ref} is not an NLI model (its labels are ${modelLabels.join(', ') || 'not given'}, none is "entailment")`, {
      field: 'options.labels',
      hint: 'Zero-shot classification needs a model trained on NLI (e.g. "Xenova/bart-large-mnli"); for a model with its own labels, drop "labels" from the options.',
    });
  }
  const classifier = await loadWith(prepared, 'a zero-shot (NLI) model', () => pipeline('zero-shot-classification', prepared.source.id, prepared.pretrained));
  const metadata = modelMetadata(prepared, 'classification', `zero-shot over ${options.labels.join(', ')}`);
  return new TransformersZeroShotClassifier(classifier, metadata, options);
}
