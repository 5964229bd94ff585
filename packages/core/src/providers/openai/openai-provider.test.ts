import { afterEach, describe, expect, it, vi } from 'vitest';
import { ModelRegistry } from '../../models/model-registry.js';
import { OpenAIChatModel } from './openai-chat-model.js';
import { OpenAIEmbeddingModel } from './openai-embedding-model.js';
import { chatCompletionBody, sendJson, startFakeOpenAIServer, type FakeOpenAIServer } from './openai-fake-server.test-helper.js';
import { OpenAIImageModel } from './openai-image-model.js';
import { createOpenAIProvider } from './openai-provider.js';
import { DEFAULT_OPENAI_BASE_URL, resolveOpenAIConfig } from './openai-provider-config.js';
import { OpenAISpeechToTextModel } from './openai-speech-to-text-model.js';

let server: FakeOpenAIServer | undefined;

afterEach(async () => {
  vi.unstubAllEnvs();
  await server?.close();
  server = undefined;
});

describe('resolveOpenAIConfig', () => {
  it('fills defaults, then the environment, with the config first', () => {
    expect(resolveOpenAIConfig({}, {})).toEqual({
      baseURL: DEFAULT_OPENAI_BASE_URL,
      apiKey: undefined,
      organization: undefined,
      headers: {},
      timeoutMs: 60_000,
      maxRetries: 3,
      retryBaseDelayMs: 500,
      maxRetryDelayMs: 20_000,
    });
    const env = { OPENAI_BASE_URL: 'http://localhost:11434/v1', OPENAI_API_KEY: 'sk-env' };
    expect(resolveOpenAIConfig({}, env)).toMatchObject({ baseURL: 'http://localhost:11434/v1', apiKey: 'sk-env' });
    expect(resolveOpenAIConfig({ baseURL: 'http://vllm:8000/v1', apiKey: 'sk-config' }, env)).toMatchObject({ baseURL: 'http://vllm:8000/v1', apiKey: 'sk-config' });
  });

  it('treats an empty key as none', () => {
    expect(resolveOpenAIConfig({ apiKey: '' }, { OPENAI_API_KEY: '' }).apiKey).toBeUndefined();
  });

  it('names the field and the fix for a bad config or environment', () => {
    expect(() => resolveOpenAIConfig({ baseURL: 'localhost:8000' }, {})).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', field: 'providers.openai.baseURL', message: expect.stringContaining('http(s) URL') }),
    );
    expect(() => resolveOpenAIConfig({ timeoutMS: 5 }, {})).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => resolveOpenAIConfig({ maxRetries: -1 }, {})).toThrow(expect.objectContaining({ field: 'providers.openai.maxRetries' }));
    expect(() => resolveOpenAIConfig({}, { OPENAI_BASE_URL: 'ftp://x' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', field: 'OPENAI_BASE_URL' }));
  });
});

describe('createOpenAIProvider', () => {
  it('serves text generation, embeddings, images and speech to text', async () => {
    const provider = createOpenAIProvider({ baseURL: 'http://localhost:8000/v1' });
    expect(provider.name).toBe('openai');
    expect(provider.tasks).toEqual(['text-generation', 'embedding', 'image-generation', 'speech-to-text']);
    expect(await provider.create('text-generation', 'qwen')).toBeInstanceOf(OpenAIChatModel);
    expect(await provider.create('embedding', 'bge')).toBeInstanceOf(OpenAIEmbeddingModel);
    expect(await provider.create('image-generation', 'sdxl')).toBeInstanceOf(OpenAIImageModel);
    expect(await provider.create('speech-to-text', 'whisper-1')).toBeInstanceOf(OpenAISpeechToTextModel);
    await expect(provider.create('classification', 'x')).rejects.toMatchObject({ code: 'MODEL_TASK_UNSUPPORTED' });
  });

  it('describes each model as neural, with the context length and dims its options give', async () => {
    const provider = createOpenAIProvider({ baseURL: 'http://user:pw@localhost:8000/v1' });
    const chat = await provider.create('text-generation', 'llama3.2:1b', { contextLength: 8192, temperature: 0.2 });
    expect(chat.metadata).toMatchObject({ provider: 'openai', model: 'llama3.2:1b', ref: 'openai:llama3.2:1b', task: 'text-generation', neural: true, contextLength: 8192 });
    expect(chat.metadata.description).toContain('http://localhost:8000/v1');
    expect(chat.metadata.description).not.toContain('pw');
    expect((await provider.create('embedding', 'bge', { dims: 1024 })).metadata.dims).toBe(1024);
  });

  it('rejects unknown or invalid model options with the field to fix', async () => {
    const provider = createOpenAIProvider({});
    await expect(provider.create('text-generation', 'x', { temprature: 0.2 })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('openai:x') });
    await expect(provider.create('embedding', 'x', { batchSize: 0 })).rejects.toMatchObject({ code: 'CONFIG_INVALID', field: 'options.batchSize' });
  });

  it('reads OPENAI_BASE_URL and OPENAI_API_KEY and answers through the registry', async () => {
    server = await startFakeOpenAIServer({ '/chat/completions': (_req, res) => sendJson(res, 200, chatCompletionBody('pong')) });
    vi.stubEnv('OPENAI_BASE_URL', server.baseURL);
    vi.stubEnv('OPENAI_API_KEY', 'sk-from-env-123');
    const models = new ModelRegistry();
    models.registerProvider(createOpenAIProvider(), '@ferry/core');
    const chat = await models.textGenerator('openai:test-model', { temperature: 0 });
    expect((await chat.generate('ping')).text).toBe('pong');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-from-env-123');
    expect(server.requests[0]?.json).toMatchObject({ model: 'test-model', temperature: 0 });
  });

  it("lets a model's timeoutMs and maxRetries replace the provider's", async () => {
    server = await startFakeOpenAIServer({ '/chat/completions': () => undefined });
    const provider = createOpenAIProvider({ baseURL: server.baseURL, timeoutMs: 60_000, maxRetries: 3, retryBaseDelayMs: 1 });
    const chat = await provider.create('text-generation', 'slow', { timeoutMs: 80, maxRetries: 0 });
    await expect(chat.generate('x')).rejects.toMatchObject({ code: 'PROVIDER_TIMEOUT', message: expect.stringContaining('80 ms after 1 attempt') });
    expect(server.count('/chat/completions')).toBe(1);
  });
});
