import { FerryError } from '../errors/ferry-error.js';

export interface ModelRef {
  provider: string;
  model: string;
}

const PROVIDER_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Splits `provider:model` at the first colon only, so model ids that contain
 * colons themselves (Ollama's `openai:llama3.2:1b`) survive intact.
 */
export function parseModelRef(ref: string, field = 'model'): ModelRef {
  const at = ref.indexOf(':');
  const provider = at > 0 ? ref.slice(0, at) : '';
  const model = at > 0 ? ref.slice(at + 1) : '';
  if (!PROVIDER_NAME.test(provider) || model.trim() === '') {
    throw new FerryError('MODEL_REF_INVALID', `"${ref}" is not a model reference`, {
      field,
      hint: 'Write it as provider:model, e.g. "offline:hash-384", "openai:gpt-4o-mini" or "transformers:Xenova/all-MiniLM-L6-v2".',
    });
  }
  return { provider, model };
}
