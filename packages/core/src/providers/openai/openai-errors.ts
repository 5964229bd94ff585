import type { ZodError } from 'zod';
import { FerryError, fromZodError } from '../../errors/ferry-error.js';
import type { TimeoutSetting } from './attempt-deadline.js';

/** Why one attempt failed; the last one decides the error the caller gets. */
export type AttemptFailure =
  | { kind: 'status'; status: number; statusText: string; body: string; retryAfterMs: number | undefined }
  | { kind: 'timeout'; ms: number; setting: TimeoutSetting }
  | { kind: 'network'; cause: unknown };

export interface FailureContext {
  /** `POST https://host/v1/chat/completions`, credentials already removed. */
  endpoint: string;
  /** Attempts made; absent when a stream failed after it had started. */
  attempts: number | undefined;
  hasApiKey: boolean;
  /** Removes the API key (and other secret header values) from text the server or the network stack wrote. */
  redact: (text: string) => string;
  /** Why retrying stopped early, when it did. */
  note?: string;
}

const CONFIG = 'providers.openai';

export function failureError(failure: AttemptFailure, context: FailureContext): FerryError {
  const { endpoint, attempts, note } = context;
  const tries = attempts === undefined ? '' : ` after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  const suffix = note ? ` (${note})` : '';
  const details = { endpoint, attempts };

  switch (failure.kind) {
    case 'status': {
      const message = serverMessage(failure.body);
      const said = message === undefined ? '' : `: ${context.redact(message)}`;
      const status = `HTTP ${failure.status}${failure.statusText ? ` ${failure.statusText}` : ''}`;
      return new FerryError('PROVIDER_HTTP_ERROR', `${endpoint} answered ${status}${tries}${said}${suffix}`, {
        ...(failure.status === 401 || failure.status === 403 ? { field: `${CONFIG}.apiKey` } : {}),
        hint: statusHint(failure.status, context.hasApiKey),
        details: { ...details, status: failure.status, ...(message === undefined ? {} : { serverMessage: context.redact(message) }) },
      });
    }
    case 'timeout': {
      const what =
        failure.setting === 'timeoutMs'
          ? `did not answer within ${failure.ms} ms`
          : `stopped sending data for ${failure.ms} ms in the middle of a stream`;
      return new FerryError('PROVIDER_TIMEOUT', `${endpoint} ${what}${tries}${suffix}`, {
        hint: `Check that the server is up and not overloaded (a cold model may take minutes to load); if it is just slow, raise ${failure.setting} (now ${failure.ms}) in ${CONFIG} or in the model's options.`,
        details: { ...details, timeoutMs: failure.ms, setting: failure.setting },
      });
    }
    case 'network':
      return new FerryError('PROVIDER_HTTP_ERROR', `${endpoint} could not be reached${tries}: ${context.redact(describeCause(failure.cause))}${suffix}`, {
        field: `${CONFIG}.baseURL`,
        hint: 'Check that the server is running and that baseURL (or OPENAI_BASE_URL) names its host, port and path, e.g. http://localhost:8000/v1 for vLLM or http://localhost:11434/v1 for Ollama.',
        details,
        cause: failure.cause,
      });
  }
}

/** The server broke off a stream it had started; retrying would repeat text already yielded. */
export function streamBrokenError(endpoint: string, cause: unknown, redact: (text: string) => string): FerryError {
  return new FerryError('PROVIDER_HTTP_ERROR', `${endpoint} broke off its stream: ${redact(describeCause(cause))}`, {
    hint: 'The server or a proxy closed the connection mid-answer; check the server logs (out of memory, restarts) and proxy timeouts for long responses.',
    details: { endpoint },
    cause,
  });
}

/** An `{"error": ...}` event inside a stream that began well. */
export function streamErrorEventError(endpoint: string, data: unknown, redact: (text: string) => string): FerryError {
  const message = redact(serverMessage(JSON.stringify(data)) ?? 'no message');
  return new FerryError('PROVIDER_HTTP_ERROR', `${endpoint} reported an error in the middle of its stream: ${message}`, {
    hint: 'The server failed while generating; check its logs, and the model name and options the request used.',
    details: { endpoint, serverMessage: message },
  });
}

export function badResponseError(endpoint: string, problem: ZodError | string, field?: string): FerryError {
  const hint = `Check that baseURL points at an OpenAI-compatible API (usually ending in /v1) that implements ${endpoint.replace(/^\S+ /, '')}; a proxy, a web page or an incompatible server may be answering.`;
  if (typeof problem !== 'string') {
    return fromZodError('PROVIDER_BAD_RESPONSE', problem, { what: `the reply of ${endpoint}`, fieldPrefix: 'response', hint });
  }
  return new FerryError('PROVIDER_BAD_RESPONSE', `the reply of ${endpoint} is invalid: ${problem}`, {
    ...(field === undefined ? {} : { field }),
    hint,
    details: { endpoint },
  });
}

/**
 * What the server said went wrong. OpenAI and vLLM send `{error: {message}}`
 * or `{message}`, Ollama and llama.cpp sometimes `{error: "..."}`, FastAPI
 * `{detail}`; anything else is shown as a short excerpt.
 */
export function serverMessage(body: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return excerpt(body);
  }
  if (isRecord(json)) {
    const { error, message, detail } = json;
    if (typeof error === 'string') return error;
    if (isRecord(error) && typeof error['message'] === 'string') return error['message'];
    if (typeof message === 'string') return message;
    if (typeof detail === 'string') return detail;
    if (detail !== undefined) return excerpt(JSON.stringify(detail));
  }
  return excerpt(body);
}

export function excerpt(text: string, max = 300): string | undefined {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return undefined;
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function statusHint(status: number, hasApiKey: boolean): string {
  if (status === 401) {
    return hasApiKey
      ? 'The server rejected the API key: check apiKey (or OPENAI_API_KEY) is valid for this baseURL.'
      : 'The server wants an API key: set apiKey in providers.openai or the OPENAI_API_KEY environment variable.';
  }
  if (status === 403) return 'The key may not use this model or organization: check its permissions, the organization setting and the model name.';
  if (status === 404) {
    return 'Check baseURL (it usually ends in /v1, e.g. http://localhost:8000/v1) and the model name (GET <baseURL>/models lists what the server serves).';
  }
  if (status === 413) return 'The request is too large for the server: send less at once (for embeddings, lower batchSize).';
  if (status === 429) {
    return 'Rate limited: lower the concurrency, raise maxRetries or maxRetryDelayMs, or check the account quota and rate limits.';
  }
  if (status >= 500) {
    return 'The server failed: check its logs (out of memory, model still loading, crashed worker); raise maxRetries if it is transient.';
  }
  return 'The server rejected the request: check the model name and the options sent (its message above says which).';
}

/** `fetch failed: connect ECONNREFUSED 127.0.0.1:1`: undici hides the reason in `cause`. */
function describeCause(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth++) {
    parts.push(current.message);
  }
  return parts.join(': ') || String(error);
}
