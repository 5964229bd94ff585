import { FerryError } from '@ferry/core';

interface VisionSettings {
  apiKey?: string | undefined;
  timeoutMs: number;
  maxImageSide: number;
}

/**
 * OpenAIClient's errors point at `providers.openai` and the OPENAI_*
 * environment variables, which this model does not read: the ones that name
 * a setting are re-pointed at this model's own options, keeping the client's
 * code, text and details. Anything else (the caller's abort) passes as it is.
 */
export function visionError(error: unknown, settings: VisionSettings): unknown {
  if (!(error instanceof FerryError)) return error;
  const fix = visionFix(error, settings);
  return fix ? new FerryError(error.code, error.summary, { ...fix, details: error.details, cause: error }) : error;
}

function visionFix(error: FerryError, settings: VisionSettings): { field: string; hint: string } | undefined {
  if (error.code === 'PROVIDER_TIMEOUT') {
    return {
      field: 'timeoutMs',
      hint: `Check that the server is up and not overloaded (a cold model may take minutes to load); if it is just slow, raise timeoutMs (now ${settings.timeoutMs}) or send smaller images with maxImageSide (now ${settings.maxImageSide}).`,
    };
  }
  if (error.code !== 'PROVIDER_HTTP_ERROR') return undefined;
  switch (error.details?.['status']) {
    // No status: the server was never reached.
    case undefined:
      return {
        field: 'baseUrl',
        hint: 'Check that the server is running and that baseUrl names its host, port and path, e.g. http://localhost:8000/v1 for vLLM or http://localhost:11434/v1 for Ollama.',
      };
    case 400:
      return { field: 'model', hint: 'The server refused the request (its message says why); most often the model takes no images: use a vision-capable model.' };
    case 401:
      return {
        field: 'apiKey',
        hint: settings.apiKey
          ? 'The server rejected apiKey: check that it is valid for baseUrl.'
          : 'The server wants an API key: pass apiKey (`multimodal ask` reads it from OPENAI_API_KEY, or from the variable --api-key-env names).',
      };
    case 403:
      return { field: 'apiKey', hint: 'The key may not use this model: check its permissions and the model name.' };
    default:
      return undefined;
  }
}
