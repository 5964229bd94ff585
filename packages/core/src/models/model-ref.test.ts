import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error.js';
import { parseModelRef } from './model-ref.js';

describe('parseModelRef', () => {
  it('splits at the first colon so Ollama tags survive', () => {
    expect(parseModelRef('openai:llama3.2:1b')).toEqual({ provider: 'openai', model: 'llama3.2:1b' });
    expect(parseModelRef('transformers:Xenova/all-MiniLM-L6-v2')).toEqual({
      provider: 'transformers',
      model: 'Xenova/all-MiniLM-L6-v2',
    });
  });

  it.each(['gpt-4o', ':x', 'openai:', 'Open AI:x'])('rejects %j with a fix', (ref) => {
    try {
      parseModelRef(ref, 'models.chat');
      expect.unreachable();
    } catch (error) {
      expect(isFerryError(error, 'MODEL_REF_INVALID')).toBe(true);
      expect((error as Error).message).toContain('models.chat');
      expect((error as Error).message).toContain('provider:model');
    }
  });
});
