import { FerryHost, HashingEmbedder, type ModelProvider } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFerryServer, type FerryServer } from '../create-ferry-server.js';
import { TEST_KEYS, testAuth } from '../server.test-helper.js';

/** A provider that, like llama: and transformers:, would open its model part on disk; it records what it was asked for. */
function recordingFileProvider(asked: string[]): ModelProvider {
  return {
    name: 'files',
    tasks: ['embedding', 'text-generation'],
    async create(_task, model) {
      asked.push(model);
      return new HashingEmbedder(16) as never;
    },
  };
}

describe('model references from requests', () => {
  const asked: string[] = [];
  let server: FerryServer;

  beforeAll(async () => {
    const host = await FerryHost.start({ config: { models: { local: 'files:./models/local' } } });
    host.models.registerProvider(recordingFileProvider(asked));
    server = await createFerryServer({ host, auth: testAuth, logger: false, handleSignals: false });
  });
  afterAll(async () => {
    await server.close();
  });

  const embed = (model: string) =>
    server.fastify.inject({ method: 'POST', url: '/v1/embeddings', headers: { authorization: `Bearer ${TEST_KEYS.admin}` }, payload: { model, input: 'hello' } });
  const chat = (model: string) =>
    server.fastify.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: `Bearer ${TEST_KEYS.chat}` }, payload: { model, messages: [{ role: 'user', content: 'hi' }] } });

  it('refuses a provider:model whose model part is a path with 400 naming model, without asking the provider', async () => {
    const paths = ['files:/etc/hostname', 'files:../../secrets', 'files:org/../../../etc', 'files:./data/sessions.db', 'files:~/.ssh', 'files:..\\..\\x', 'files:C:\\models', 'files:c:/models', 'files:..'];
    for (const model of paths) {
      for (const response of [await embed(model), await chat(model)]) {
        expect(response.statusCode, model).toBe(400);
        expect(response.json().error, model).toMatchObject({ code: 'INPUT_INVALID', field: 'model' });
        expect(response.json().error.message, model).toContain('names a file path');
      }
    }
    expect(asked).toEqual([]);
  });

  it('still serves model ids, tags and config aliases, even an alias whose reference is a path', async () => {
    for (const model of ['files:org/model-v2', 'files:llama3.2:1b', 'local']) {
      expect((await embed(model)).statusCode, model).toBe(200);
    }
    expect(asked).toEqual(['org/model-v2', 'llama3.2:1b', './models/local']);
  });

  it('answers a model named after an Object.prototype key as unknown, not a 500', async () => {
    for (const model of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      for (const response of [await embed(model), await chat(model)]) {
        expect(response.statusCode, model).toBeLessThan(500);
        expect(response.json().error.code, model).toBe('MODEL_NOT_FOUND');
      }
    }
  });
});
