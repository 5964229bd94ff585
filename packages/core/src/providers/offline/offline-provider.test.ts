import { describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../models/model-registry.js';
import { CentroidClassifier } from './centroid-classifier.js';
import { ExtractiveAnswerer } from './extractive-answerer.js';
import { HashingEmbedder } from './hashing-embedder.js';
import { KeywordClassifier } from './keyword-classifier.js';
import { createOfflineProvider } from './offline-provider.js';

function registry(): ModelRegistry {
  const models = new ModelRegistry();
  models.registerProvider(createOfflineProvider(), '@ferry/core');
  return models;
}

describe('createOfflineProvider', () => {
  it('serves embedding, text generation and classification', () => {
    const provider = createOfflineProvider();
    expect(provider.name).toBe('offline');
    expect([...provider.tasks].sort()).toEqual(['classification', 'embedding', 'text-generation']);
  });

  it('resolves every model through the registry', async () => {
    const models = registry();
    const embedder = await models.embedder('offline:hash-64');
    expect(embedder).toBeInstanceOf(HashingEmbedder);
    expect(embedder.metadata.dims).toBe(64);
    expect((await models.embedder('offline:hash')).metadata.dims).toBe(384);
    expect(await models.textGenerator('offline:extractive', { minScore: 0.5 })).toBeInstanceOf(ExtractiveAnswerer);
    const keyword = await models.classifier('offline:keyword', { rules: { greet: ['hello'] } });
    expect(keyword).toBeInstanceOf(KeywordClassifier);
    const centroid = await models.classifier('offline:centroid', { examples: [{ text: 'hello there', label: 'greet' }] });
    expect(centroid).toBeInstanceOf(CentroidClassifier);
    expect((await centroid.classify(['hello']))[0]?.label).toBe('greet');
  });

  it('lists its models, none of them neural, each saying what it is', () => {
    const listed = createOfflineProvider().listModels?.() ?? [];
    expect(listed.map((m) => m.ref)).toEqual(['offline:hash-384', 'offline:extractive', 'offline:centroid', 'offline:keyword']);
    for (const metadata of listed) {
      expect(metadata.neural).toBe(false);
      expect(metadata.description).toMatch(/not a neural model/);
    }
  });

  it.each([
    ['embedding', 'hash-12', 'INPUT_INVALID', 'model', /16 to 8192/],
    ['embedding', 'hash-9000', 'INPUT_INVALID', 'model', /16 to 8192/],
    ['embedding', 'hash-abc', 'MODEL_NOT_FOUND', 'model', /offline:hash-<dims>/],
    ['text-generation', 'gpt', 'MODEL_NOT_FOUND', 'model', /offline:extractive/],
    ['embedding', 'extractive', 'MODEL_TASK_UNSUPPORTED', 'model', /text-generation model/],
    ['image-generation', 'hash-384', 'MODEL_TASK_UNSUPPORTED', 'model', /no image-generation models/],
  ] as const)('%s "%s" fails with %s', async (task, model, code, field, message) => {
    await expect(createOfflineProvider().create(task, model)).rejects.toMatchObject({ code, field, message: expect.stringMatching(message) });
  });

  it('validates options with the field to fix', async () => {
    const provider = createOfflineProvider();
    await expect(provider.create('embedding', 'hash-64', { dims: 128 })).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'options' });
    await expect(provider.create('text-generation', 'extractive', { minScore: 'high' })).rejects.toMatchObject({ field: 'options.minScore' });
    await expect(
      provider.create('classification', 'centroid', { examples: [{ text: 'a', label: 'x' }, { text: 'b', label: 'y' }, { text: 'c', label: 'z' }, { text: 'd' }] }),
    ).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'options.examples[3].label' });
    await expect(provider.create('classification', 'keyword')).rejects.toMatchObject({ field: 'options.rules' });
  });
});
