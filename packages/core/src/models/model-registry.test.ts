import { describe, expect, it } from 'vitest';
import { createOfflineProvider } from '../providers/offline/index.js';
import { ModelRegistry } from './model-registry.js';
import type { ModelProvider } from './model-types.js';

describe('ModelRegistry', () => {
  it('resolves provider:model references and shares one instance per reference and options', async () => {
    const registry = new ModelRegistry();
    registry.registerProvider(createOfflineProvider(), '@ferry/core');
    const a = await registry.embedder('offline:hash-128');
    const b = await registry.resolve('embedding', 'offline:hash-128');
    const c = await registry.embedder('offline:hash-256');
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(a.metadata).toMatchObject({ provider: 'offline', ref: 'offline:hash-128', dims: 128, neural: false });
  });

  it('names the registered providers when a prefix is unknown', async () => {
    const registry = new ModelRegistry();
    registry.registerProvider(createOfflineProvider());
    await expect(registry.textGenerator('vllm:qwen')).rejects.toMatchObject({
      code: 'MODEL_PROVIDER_UNKNOWN',
      hint: expect.stringContaining('offline'),
    });
  });

  it('refuses a task the provider does not serve', async () => {
    const registry = new ModelRegistry();
    registry.registerProvider(createOfflineProvider());
    await expect(registry.resolve('image-generation', 'offline:anything')).rejects.toMatchObject({ code: 'MODEL_TASK_UNSUPPORTED' });
  });

  it('rejects a second provider with the same prefix, naming the first owner', () => {
    const registry = new ModelRegistry();
    registry.registerProvider(createOfflineProvider(), '@ferry/core');
    expect(() => registry.registerProvider(createOfflineProvider(), 'acme')).toThrow(/already registered by "@ferry\/core"/);
  });

  it('does not cache a failed load, so the next call retries', async () => {
    let calls = 0;
    const flaky: ModelProvider = {
      name: 'flaky',
      tasks: ['embedding'],
      async create(task, model) {
        calls++;
        if (calls === 1) throw new Error('weights not downloaded yet');
        return createOfflineProvider().create(task, `hash-16${model === 'x' ? '' : model}`);
      },
    };
    const registry = new ModelRegistry();
    registry.registerProvider(flaky);
    await expect(registry.embedder('flaky:x')).rejects.toThrow('weights not downloaded yet');
    await expect(registry.embedder('flaky:x')).resolves.toBeDefined();
    expect(calls).toBe(2);
  });
});
