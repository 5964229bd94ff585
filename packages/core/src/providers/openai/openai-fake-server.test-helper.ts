import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { OpenAIClientSettings } from './openai-provider-config.js';

/** A request as the fake server received it. */
export interface ReceivedRequest {
  method: string;
  /** Path below `/v1`, e.g. `/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body parsed, when it was JSON. */
  json: unknown;
  /** `performance.now()` on arrival, to check waits between attempts. */
  at: number;
}

/** Answers one request; `nth` counts requests to this path, from 1. Return without answering to hang. */
export type FakeRoute = (request: ReceivedRequest, response: ServerResponse, nth: number) => void | Promise<void>;

export interface FakeOpenAIServer {
  /** `http://127.0.0.1:<port>/v1` */
  baseURL: string;
  requests: ReceivedRequest[];
  count(path: string): number;
  close(): Promise<void>;
}

/**
 * A real HTTP server on a free local port that speaks as much of the OpenAI
 * wire format as each test scripts through its routes; anything else gets
 * the 404 OpenAI sends for unknown paths.
 */
export async function startFakeOpenAIServer(routes: Record<string, FakeRoute>): Promise<FakeOpenAIServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = (req.url ?? '/').replace(/^\/v1/, '').replace(/\?.*$/, '');
    const request: ReceivedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body, json: parseJson(body), at: performance.now() };
    requests.push(request);
    const route = routes[path];
    if (!route) {
      sendJson(res, 404, { error: { message: `Unknown request URL: ${req.method} ${req.url}`, type: 'invalid_request_error' } });
      return;
    }
    try {
      await route(request, res, requests.filter((r) => r.path === path).length);
    } catch (error) {
      // The client under test may have hung up mid-answer (abort, timeout).
      if (!res.destroyed) res.destroy(error instanceof Error ? error : undefined);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    count: (path) => requests.filter((r) => r.path === path).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/**
 * Writes `text` as a `text/event-stream` in pieces of `pieceBytes`, pausing
 * `delayMs` between writes so each piece reaches the client as its own read.
 * The last write ends the response unless `keepOpen` (to stall a stream).
 */
export async function sendEventStream(
  res: ServerResponse,
  text: string,
  { pieceBytes = 7, delayMs = 2, keepOpen = false }: { pieceBytes?: number; delayMs?: number; keepOpen?: boolean } = {},
): Promise<void> {
  res.socket?.setNoDelay(true);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length; at += pieceBytes) {
    if (res.destroyed) return;
    res.write(bytes.subarray(at, at + pieceBytes));
    await delay(delayMs);
  }
  if (!keepOpen) res.end();
}

/** The SSE text of a streamed chat answer: one chunk per piece, a finish chunk, `[DONE]`. */
export function chatStreamText(pieces: readonly string[], finishReason = 'stop'): string {
  const chunk = (delta: Record<string, unknown>, finish: string | null): string =>
    `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  return [chunk({ role: 'assistant', content: '' }, null), ...pieces.map((p) => chunk({ content: p }, null)), chunk({}, finishReason), 'data: [DONE]\n\n'].join('');
}

/** A non-streamed chat completion. */
export function chatCompletionBody(text: string, finishReason = 'stop', usage = { prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 }): unknown {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'test-model',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finishReason }],
    usage,
  };
}

/** Client settings for tests: fast retries, short limits. */
export function testSettings(baseURL: string, overrides: Partial<OpenAIClientSettings> = {}): OpenAIClientSettings {
  return {
    baseURL,
    apiKey: undefined,
    organization: undefined,
    headers: {},
    timeoutMs: 2_000,
    maxRetries: 2,
    retryBaseDelayMs: 5,
    maxRetryDelayMs: 2_000,
    ...overrides,
  };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
