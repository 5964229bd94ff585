import type { Classifier } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { encoderReference, recordingLogger, TINY_BERT, TINY_NLI } from './fixtures.test-helper.js';
import { createTransformersProvider } from './transformers-provider.js';

const provider = createTransformersProvider({ batchSize: 2 }, { logger: recordingLogger() });

describe('transformers: text classification on the tiny NLI encoder', () => {
  it("scores every label of the model's own, matching PyTorch within 1e-4", async () => {
    const classifier = (await provider.create('classification', TINY_NLI)) as Classifier;
    expect(classifier.labels).toEqual(encoderReference.labels);
    const results = await classifier.classify(encoderReference.classification.map((c) => c.text));
    results.forEach((result, i) => {
      const expected = encoderReference.classification[i]!.probabilities;
      for (const { label, score } of result.ranking) expect(Math.abs(score - expected[encoderReference.labels.indexOf(label)]!)).toBeLessThanOrEqual(1e-4);
      expect(result.ranking.map((r) => r.score)).toEqual([...result.ranking.map((r) => r.score)].sort((a, b) => b - a));
      expect(result.label).toBe(result.ranking[0]!.label);
      expect(result.score).toBe(result.ranking[0]!.score);
    });
    await classifier.dispose?.();
  });

  it('classifies zero-shot over candidate labels from the options, matching PyTorch within 1e-4', async () => {
    const { text, labels, template, scores } = encoderReference.zeroShot;
    const classifier = (await provider.create('classification', TINY_NLI, { labels, hypothesisTemplate: template })) as Classifier;
    expect(classifier.labels).toEqual(labels);
    expect(classifier.metadata.description).toContain('zero-shot');
    const [result] = await classifier.classify([text]);
    expect(result!.ranking).toHaveLength(labels.length);
    for (const { label, score } of result!.ranking) expect(Math.abs(score - scores[labels.indexOf(label)]!)).toBeLessThanOrEqual(1e-4);
    const multi = (await provider.create('classification', TINY_NLI, { labels, multiLabel: true })) as Classifier;
    const [independent] = await multi.classify([text]);
    // Each label on its own (entailment vs contradiction): scores need not sum to 1.
    expect(independent!.ranking.every((r) => r.score > 0 && r.score < 1)).toBe(true);
    await Promise.all([classifier.dispose?.(), multi.dispose?.()]);
  });

  it('refuses zero-shot on a model without an entailment label, and a template without {}', async () => {
    await expect(provider.create('classification', TINY_BERT, { labels: ['a', 'b'] })).rejects.toMatchObject({
      code: 'MODEL_TASK_UNSUPPORTED',
      field: 'options.labels',
    });
    await expect(provider.create('classification', TINY_NLI, { labels: ['a'], hypothesisTemplate: 'no slot' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      field: 'options.hypothesisTemplate',
    });
  });
});
