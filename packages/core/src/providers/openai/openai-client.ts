import type { z } from 'zod';
import { FerryError } from '../../errors/ferry-error.js';
import { Deadline } from '../../pipeline/deadline.js';
import type { AttemptDeadline } from './attempt-deadline.js';
import { displayURL, endpointURL } from './endpoint-url.js';
import {
  badResponseError,
  excerpt,
  failureError,
  isRecord,
  streamBrokenError,
  streamErrorEventError,
  type AttemptFailure,
  type FailureContext,
} from './openai-errors.js';
import type { OpenAIClientSettings } from './openai-provider-config.js';
import { backoffDelayMs, isRetryableStatus, parseRetryAfter, sleep } from './retry-policy.js';
import { parseSse } from './sse-parser.js';

// Header names whose values are credentials, to scrub from error text.
const SECRET_HEADER = /auth|key|token|secret/i;

/** A non-2xx reply, thrown inside an attempt so the retry loop can judge it. */
class StatusFailure extends Error {
  constructor(readonly failure: AttemptFailure & { kind: 'status' }) {
    super(`HTTP ${failure.status}`);
  }
}

/**
 * HTTP to one OpenAI-compatible server: auth headers, a time limit per
 * attempt, retries with backoff (honouring `Retry-After`) on 429, 5xx,
 * timeouts and network errors, validated JSON replies and SSE streams.
 * Errors name the endpoint and never contain the API key.
 */
export class OpenAIClient {
  private readonly baseHeaders: Headers;
  private readonly secrets: string[];

  constructor(private readonly settings: OpenAIClientSettings) {
    this.baseHeaders = new Headers();
    if (settings.apiKey) this.baseHeaders.set('authorization', `Bearer ${settings.apiKey}`);
    if (settings.organization) this.baseHeaders.set('openai-organization', settings.organization);
    for (const [name, value] of Object.entries(settings.headers)) this.baseHeaders.set(name, value);

    const secretHeaders = Object.entries(settings.headers).filter(([name]) => SECRET_HEADER.test(name));
    this.secrets = [settings.apiKey ?? '', ...secretHeaders.flatMap(([, value]) => [value, value.replace(/^\w+\s+/, '')])]
      // A key of a few characters (`EMPTY` for vLLM) protects nothing and would mangle messages.
      .filter((secret) => secret.length >= 4)
      // Longest first, so `Bearer sk-...` goes whole before `sk-...` could leave `Bearer ***` half-matched.
      .sort((a, b) => b.length - a.length);
  }

  async postJson<S extends z.ZodType>(path: string, body: unknown, schema: S, signal?: AbortSignal): Promise<z.output<S>> {
    return this.post(path, JSON.stringify(body), schema, signal);
  }

  /** Multipart upload; `FormData` re-serialises for each attempt. */
  async postForm<S extends z.ZodType>(path: string, form: FormData, schema: S, signal?: AbortSignal): Promise<z.output<S>> {
    return this.post(path, form, schema, signal);
  }

  /**
   * POSTs with `stream: true` and yields each SSE event's JSON until
   * `[DONE]`. Failures before the first byte of the body are retried;
   * after it they are not, since the caller has already seen text.
   */
  async *streamJson<S extends z.ZodType>(path: string, body: unknown, schema: S, signal?: AbortSignal): AsyncGenerator<z.output<S>> {
    const endpoint = this.endpoint(path);
    const idleMs = this.settings.streamIdleTimeoutMs ?? this.settings.timeoutMs;
    const { reader, first, deadline } = await this.withRetries(endpoint, signal, async (attempt) => {
      const response = await this.fetchOk(path, JSON.stringify(body), attempt.signal);
      if (!response.body) throw badResponseError(endpoint, 'the stream has no body');
      const reader = response.body.getReader();
      attempt.arm(idleMs, 'streamIdleTimeoutMs', 'response');
      const first = await reader.read();
      attempt.disarm();
      return { reader, first, deadline: attempt };
    });

    async function* chunks(): AsyncGenerator<Uint8Array> {
      if (first.done) return;
      yield first.value;
      for (;;) {
        deadline.arm(idleMs, 'streamIdleTimeoutMs', 'response');
        const next = await reader.read();
        deadline.disarm();
        if (next.done) return;
        yield next.value;
      }
    }

    try {
      for await (const event of parseSse(chunks())) {
        if (event.data === '[DONE]') return;
        const json = this.parseJson(endpoint, event.data);
        if (isRecord(json) && json['error'] != null) throw streamErrorEventError(endpoint, json, this.redact);
        yield this.validate(endpoint, json, schema);
      }
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof FerryError) throw error;
      const expired = deadline.expired;
      if (expired) throw failureError({ kind: 'timeout', ms: expired.ms, setting: expired.label }, this.context(endpoint));
      throw streamBrokenError(endpoint, error, this.redact);
    } finally {
      deadline.dispose();
      // Stops the download when the consumer leaves early; a no-op after the end.
      await reader.cancel().catch(() => undefined);
    }
  }

  badResponse(path: string, problem: string, field: string): FerryError {
    return badResponseError(this.endpoint(path), problem, field);
  }

  private async post<S extends z.ZodType>(path: string, body: string | FormData, schema: S, signal: AbortSignal | undefined): Promise<z.output<S>> {
    const endpoint = this.endpoint(path);
    const text = await this.withRetries(endpoint, signal, async (deadline) => {
      try {
        const response = await this.fetchOk(path, body, deadline.signal);
        return await response.text();
      } finally {
        deadline.dispose();
      }
    });
    return this.validate(endpoint, this.parseJson(endpoint, text), schema);
  }

  private async withRetries<T>(endpoint: string, signal: AbortSignal | undefined, attempt: (deadline: AttemptDeadline) => Promise<T>): Promise<T> {
    const { maxRetries, maxRetryDelayMs, timeoutMs } = this.settings;
    for (let attempts = 1; ; attempts++) {
      signal?.throwIfAborted();
      const deadline: AttemptDeadline = new Deadline(signal);
      deadline.arm(timeoutMs, 'timeoutMs', 'response');
      let failure: AttemptFailure;
      try {
        return await attempt(deadline);
      } catch (error) {
        deadline.dispose();
        if (signal?.aborted) throw signal.reason;
        failure = classify(error, deadline);
      }

      const retryable = failure.kind !== 'status' || isRetryableStatus(failure.status);
      if (!retryable || attempts > maxRetries) throw failureError(failure, this.context(endpoint, attempts));
      const asked = failure.kind === 'status' ? failure.retryAfterMs : undefined;
      if (asked !== undefined && asked > maxRetryDelayMs) {
        const note = `the server asked to wait ${Math.ceil(asked / 1000)} s before retrying, longer than maxRetryDelayMs (${maxRetryDelayMs} ms)`;
        throw failureError(failure, { ...this.context(endpoint, attempts), note });
      }
      await sleep(asked ?? backoffDelayMs(attempts, this.settings), signal);
    }
  }

  /** The response if it is 2xx; otherwise throws its status and body for the retry loop. */
  private async fetchOk(path: string, body: string | FormData, signal: AbortSignal): Promise<Response> {
    const headers = new Headers(this.baseHeaders);
    // FormData sets its own multipart content type, boundary included.
    if (typeof body === 'string') headers.set('content-type', 'application/json');
    if (!headers.has('accept')) headers.set('accept', 'application/json, text/event-stream');
    const response = await fetch(endpointURL(this.settings.baseURL, path), { method: 'POST', headers, body, signal });
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    throw new StatusFailure({
      kind: 'status',
      status: response.status,
      statusText: response.statusText,
      body: text,
      retryAfterMs: parseRetryAfter(response.headers),
    });
  }

  /** `POST <baseURL><path>` as errors show it. */
  private endpoint(path: string): string {
    return `POST ${displayURL(endpointURL(this.settings.baseURL, path))}`;
  }

  private parseJson(endpoint: string, text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw badResponseError(endpoint, `the body is not JSON: ${this.redact(excerpt(text, 200) ?? '(empty)')}`);
    }
  }

  private validate<S extends z.ZodType>(endpoint: string, json: unknown, schema: S): z.output<S> {
    const result = schema.safeParse(json);
    if (!result.success) throw badResponseError(endpoint, result.error);
    return result.data;
  }

  private context(endpoint: string, attempts?: number): FailureContext {
    return { endpoint, attempts, hasApiKey: this.settings.apiKey !== undefined, redact: this.redact };
  }

  private readonly redact = (text: string): string => this.secrets.reduce((out, secret) => out.replaceAll(secret, '***'), text);
}

function classify(error: unknown, deadline: AttemptDeadline): AttemptFailure {
  const expired = deadline.expired;
  if (expired) return { kind: 'timeout', ms: expired.ms, setting: expired.label };
  if (error instanceof StatusFailure) return error.failure;
  // A reply that arrived but is unusable would arrive the same way again.
  if (error instanceof FerryError) throw error;
  return { kind: 'network', cause: error };
}
