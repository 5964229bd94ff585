import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FerryError, isFerryError } from '../../errors/ferry-error.js';
import { ferryErrorOf as failure } from '../../testing/ferry-error-of.js';
import { OpenAIClient } from './openai-client.js';
import {
  sendEventStream,
  sendJson,
  startFakeOpenAIServer,
  testSettings,
  type FakeOpenAIServer,
  type FakeRoute,
} from './openai-fake-server.test-helper.js';

const okSchema = z.object({ ok: z.literal(true) });
const KEY = 'sk-test-0123456789abcdef';

let server: FakeOpenAIServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(route: FakeRoute, path = '/things'): Promise<FakeOpenAIServer> {
  server = await startFakeOpenAIServer({ [path]: route });
  return server;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('OpenAIClient requests', () => {
  it('posts JSON and returns the validated reply', async () => {
    const { baseURL, requests } = await serve((_req, res) => sendJson(res, 200, { ok: true, extra: 1 }));
    const client = new OpenAIClient(testSettings(baseURL));
    expect(await client.postJson('/things', { a: 1 }, okSchema)).toEqual({ ok: true });
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/things', json: { a: 1 } });
    expect(requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('sends the Authorization header only when a key is set, plus organization and extra headers', async () => {
    const { baseURL, requests } = await serve((_req, res) => sendJson(res, 200, { ok: true }));
    await new OpenAIClient(testSettings(baseURL)).postJson('/things', {}, okSchema);
    await new OpenAIClient(testSettings(baseURL, { apiKey: KEY, organization: 'org-1', headers: { 'x-tenant': 't1' } })).postJson('/things', {}, okSchema);
    expect(requests[0]?.headers.authorization).toBeUndefined();
    expect(requests[1]?.headers).toMatchObject({ authorization: `Bearer ${KEY}`, 'openai-organization': 'org-1', 'x-tenant': 't1' });
  });

  it('keeps the base URL query (Azure api-version) when joining paths', async () => {
    const { baseURL, requests } = await serve((_req, res) => sendJson(res, 200, { ok: true }));
    await new OpenAIClient(testSettings(`${baseURL}/?api-version=2024-10-21`)).postJson('/things', {}, okSchema);
    expect(requests[0]?.path).toBe('/things');
  });
});

describe('OpenAIClient retries', () => {
  it('waits as long as Retry-After says, then succeeds on the second attempt', async () => {
    const { baseURL, requests } = await serve((_req, res, nth) =>
      nth === 1 ? sendJson(res, 429, { error: { message: 'slow down' } }, { 'retry-after': '0.3' }) : sendJson(res, 200, { ok: true }),
    );
    await new OpenAIClient(testSettings(baseURL, { retryBaseDelayMs: 1 })).postJson('/things', {}, okSchema);
    expect(requests).toHaveLength(2);
    expect((requests[1]?.at ?? 0) - (requests[0]?.at ?? 0)).toBeGreaterThanOrEqual(290);
  });

  it('honours retry-after-ms and an HTTP-date Retry-After', async () => {
    const { baseURL, requests } = await serve((_req, res, nth) => {
      if (nth === 1) sendJson(res, 503, {}, { 'retry-after-ms': '150' });
      else if (nth === 2) sendJson(res, 503, {}, { 'retry-after': new Date(Date.now() - 1000).toUTCString() });
      else sendJson(res, 200, { ok: true });
    });
    await new OpenAIClient(testSettings(baseURL, { retryBaseDelayMs: 1 })).postJson('/things', {}, okSchema);
    expect(requests).toHaveLength(3);
    expect((requests[1]?.at ?? 0) - (requests[0]?.at ?? 0)).toBeGreaterThanOrEqual(140);
  });

  it('retries 500 twice, then succeeds', async () => {
    const { baseURL, count } = await serve((_req, res, nth) => (nth <= 2 ? sendJson(res, 500, { error: { message: 'boom' } }) : sendJson(res, 200, { ok: true })));
    expect(await new OpenAIClient(testSettings(baseURL)).postJson('/things', {}, okSchema)).toEqual({ ok: true });
    expect(count('/things')).toBe(3);
  });

  it('gives up after maxRetries and says how many attempts it made', async () => {
    const { baseURL, count } = await serve((_req, res) => sendJson(res, 502, 'Bad Gateway'));
    const error = await failure(new OpenAIClient(testSettings(baseURL, { maxRetries: 2 })).postJson('/things', {}, okSchema));
    expect(error.code).toBe('PROVIDER_HTTP_ERROR');
    expect(error.message).toContain('HTTP 502');
    expect(error.message).toContain('after 3 attempts');
    expect(error.hint).toMatch(/logs/);
    expect(count('/things')).toBe(3);
  });

  it('does not retry a 400, and shows the server message, the URL and a hint', async () => {
    const { baseURL, count } = await serve((_req, res) =>
      sendJson(res, 400, { error: { message: "The model 'gpt-5-nano' does not exist", type: 'invalid_request_error' } }),
    );
    const error = await failure(new OpenAIClient(testSettings(baseURL)).postJson('/things', {}, okSchema));
    expect(count('/things')).toBe(1);
    expect(error.code).toBe('PROVIDER_HTTP_ERROR');
    expect(error.message).toContain(`POST ${baseURL}/things answered HTTP 400 Bad Request after 1 attempt`);
    expect(error.message).toContain("The model 'gpt-5-nano' does not exist");
    expect(error.hint).toMatch(/model name/);
    expect(error.details).toMatchObject({ status: 400, attempts: 1 });
  });

  it('reads the error message of Ollama-style and FastAPI-style bodies', async () => {
    const { baseURL } = await serve((_req, res, nth) => sendJson(res, 404, nth === 1 ? { error: 'model "llama9" not found' } : { detail: 'Not Found' }));
    const client = new OpenAIClient(testSettings(baseURL));
    const first = await failure(client.postJson('/things', {}, okSchema));
    expect(first.message).toContain('model "llama9" not found');
    expect(first.hint).toMatch(/baseURL/);
    expect((await failure(client.postJson('/things', {}, okSchema))).message).toContain('Not Found');
  });

  it('fails at once when Retry-After is longer than maxRetryDelayMs', async () => {
    const { baseURL, count } = await serve((_req, res) => sendJson(res, 429, { error: { message: 'quota' } }, { 'retry-after': '3600' }));
    const error = await failure(new OpenAIClient(testSettings(baseURL, { maxRetryDelayMs: 1000 })).postJson('/things', {}, okSchema));
    expect(count('/things')).toBe(1);
    expect(error.message).toContain('asked to wait 3600 s');
    expect(error.hint).toMatch(/Rate limited/);
  });

  it('times out a hanging server per attempt and retries', async () => {
    const { baseURL, count } = await serve(() => undefined);
    const started = performance.now();
    const error = await failure(new OpenAIClient(testSettings(baseURL, { timeoutMs: 150, maxRetries: 1 })).postJson('/things', {}, okSchema));
    const elapsed = performance.now() - started;
    expect(error.code).toBe('PROVIDER_TIMEOUT');
    expect(error.message).toContain('did not answer within 150 ms after 2 attempts');
    expect(error.hint).toMatch(/timeoutMs/);
    expect(count('/things')).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1500);
  });

  it('recovers when only the first attempt hangs', async () => {
    const { baseURL } = await serve((_req, res, nth) => (nth === 1 ? undefined : sendJson(res, 200, { ok: true })));
    expect(await new OpenAIClient(testSettings(baseURL, { timeoutMs: 100 })).postJson('/things', {}, okSchema)).toEqual({ ok: true });
  });

  it('retries network errors and then names the unreachable endpoint', async () => {
    const { baseURL } = await serve(() => undefined);
    await server?.close();
    server = undefined;
    const error = await failure(new OpenAIClient(testSettings(baseURL, { maxRetries: 1 })).postJson('/things', {}, okSchema));
    expect(error.code).toBe('PROVIDER_HTTP_ERROR');
    expect(error.message).toContain(`POST ${baseURL}/things could not be reached after 2 attempts`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.field).toBe('providers.openai.baseURL');
  });

  it("stops at once when the caller's signal aborts, with the signal's reason", async () => {
    const { baseURL, count } = await serve(() => undefined);
    const controller = new AbortController();
    const reason = new Error('user went away');
    setTimeout(() => controller.abort(reason), 50);
    const started = performance.now();
    const call = new OpenAIClient(testSettings(baseURL, { timeoutMs: 5_000 })).postJson('/things', {}, okSchema, controller.signal);
    await expect(call).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(count('/things')).toBe(1);
  });

  it('does not start when the signal is already aborted, nor retry while backing off after it aborts', async () => {
    const { baseURL, count } = await serve((_req, res) => sendJson(res, 500, {}));
    const client = new OpenAIClient(testSettings(baseURL, { retryBaseDelayMs: 1_000 }));
    await expect(client.postJson('/things', {}, okSchema, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
    expect(count('/things')).toBe(0);
    const controller = new AbortController();
    const call = client.postJson('/things', {}, okSchema, controller.signal);
    setTimeout(() => controller.abort(), 100);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(count('/things')).toBe(1);
  });
});

describe('OpenAIClient replies', () => {
  it('rejects a body that is not JSON with PROVIDER_BAD_RESPONSE, not retried', async () => {
    const { baseURL, count } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Welcome to nginx!</body></html>');
    });
    const error = await failure(new OpenAIClient(testSettings(baseURL)).postJson('/things', {}, okSchema));
    expect(error.code).toBe('PROVIDER_BAD_RESPONSE');
    expect(error.message).toContain(`POST ${baseURL}/things`);
    expect(error.message).toContain('not JSON: <html><body>Welcome to nginx!');
    expect(count('/things')).toBe(1);
  });

  it('names the field of a reply that does not match the format', async () => {
    const { baseURL } = await serve((_req, res) => sendJson(res, 200, { ok: 'yes' }));
    const error = await failure(new OpenAIClient(testSettings(baseURL)).postJson('/things', {}, okSchema));
    expect(error.code).toBe('PROVIDER_BAD_RESPONSE');
    expect(error.field).toBe('response.ok');
    expect(error.message).toContain(`the reply of POST ${baseURL}/things is invalid`);
  });

  it('never puts the API key in an error, even when the server echoes it', async () => {
    const { baseURL } = await serve((req, res) =>
      sendJson(res, 401, { error: { message: `Incorrect API key provided: ${String(req.headers.authorization).slice(7)}` } }),
    );
    const error = await failure(new OpenAIClient(testSettings(`${baseURL}?api_key=${KEY}`, { apiKey: KEY })).postJson('/things', {}, okSchema));
    const everything = JSON.stringify({ ...error.toJSON(), hint: error.hint, message: error.message });
    expect(everything).not.toContain(KEY);
    expect(error.message).toContain('Incorrect API key provided: ***');
    expect(error.message).toContain('api_key=***');
    expect(error.field).toBe('providers.openai.apiKey');
    expect(error.hint).toMatch(/rejected the API key/);
  });

  it('says to set a key when a server wants one and none is set', async () => {
    const { baseURL } = await serve((_req, res) => sendJson(res, 401, { error: { message: 'Missing bearer token' } }));
    expect((await failure(new OpenAIClient(testSettings(baseURL)).postJson('/things', {}, okSchema))).hint).toMatch(/OPENAI_API_KEY/);
  });

  it('uploads multipart forms and retries them whole', async () => {
    const { baseURL, requests } = await serve((_req, res, nth) => (nth === 1 ? sendJson(res, 503, {}) : sendJson(res, 200, { ok: true })));
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array([1, 2, 3])]), 'a.bin');
    await new OpenAIClient(testSettings(baseURL)).postForm('/things', form, okSchema);
    expect(requests).toHaveLength(2);
    expect(requests[1]?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(requests[1]?.body.length).toBe(requests[0]?.body.length);
  });
});

describe('OpenAIClient streams', () => {
  const events = 'data: {"ok":true}\n\ndata: {"ok":true}\n\ndata: [DONE]\n\n';

  it('yields each event until [DONE], retrying failures before the first byte', async () => {
    const { baseURL, count } = await serve(async (_req, res, nth) => {
      if (nth === 1) sendJson(res, 503, { error: { message: 'loading model' } });
      else if (nth === 2) return; // hangs before headers
      else await sendEventStream(res, `${events}data: {"ignored":"after done"}\n\n`);
    });
    const client = new OpenAIClient(testSettings(baseURL, { timeoutMs: 150 }));
    expect(await collect(client.streamJson('/things', {}, okSchema))).toEqual([{ ok: true }, { ok: true }]);
    expect(count('/things')).toBe(3);
  });

  it('retries a stream whose headers came but whose first byte did not', async () => {
    const { baseURL, count } = await serve(async (_req, res, nth) => {
      if (nth === 1) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.flushHeaders();
      } else await sendEventStream(res, events);
    });
    const client = new OpenAIClient(testSettings(baseURL, { streamIdleTimeoutMs: 100 }));
    expect(await collect(client.streamJson('/things', {}, okSchema))).toHaveLength(2);
    expect(count('/things')).toBe(2);
  });

  it('fails with PROVIDER_TIMEOUT, without retrying, when a started stream stalls', async () => {
    const { baseURL, count } = await serve((_req, res) => sendEventStream(res, 'data: {"ok":true}\n\n', { keepOpen: true }));
    const client = new OpenAIClient(testSettings(baseURL, { streamIdleTimeoutMs: 120 }));
    const seen: unknown[] = [];
    const error = await failure(
      (async () => {
        for await (const event of client.streamJson('/things', {}, okSchema)) seen.push(event);
      })(),
    );
    expect(seen).toEqual([{ ok: true }]);
    expect(error.code).toBe('PROVIDER_TIMEOUT');
    expect(error.message).toContain('stopped sending data for 120 ms');
    expect(error.hint).toMatch(/streamIdleTimeoutMs/);
    expect(count('/things')).toBe(1);
  });

  it('does not count a slow consumer as a stalled server', async () => {
    const { baseURL } = await serve((_req, res) => sendEventStream(res, events, { pieceBytes: 1000 }));
    const client = new OpenAIClient(testSettings(baseURL, { streamIdleTimeoutMs: 50 }));
    const seen: unknown[] = [];
    for await (const event of client.streamJson('/things', {}, okSchema)) {
      seen.push(event);
      await new Promise((resolve) => setTimeout(resolve, 120));
    }
    expect(seen).toHaveLength(2);
  });

  it('turns an error event into PROVIDER_HTTP_ERROR and a broken connection into a clear error', async () => {
    const { baseURL } = await serve(async (_req, res, nth) => {
      if (nth === 1) await sendEventStream(res, 'data: {"ok":true}\n\ndata: {"error":{"message":"CUDA out of memory"}}\n\n');
      else {
        await sendEventStream(res, 'data: {"ok":true}\n\n', { keepOpen: true });
        res.destroy();
      }
    });
    const client = new OpenAIClient(testSettings(baseURL));
    const oom = await failure(collect(client.streamJson('/things', {}, okSchema)));
    expect(oom.code).toBe('PROVIDER_HTTP_ERROR');
    expect(oom.message).toContain('CUDA out of memory');
    const broken = await failure(collect(client.streamJson('/things', {}, okSchema)));
    expect(broken.code).toBe('PROVIDER_HTTP_ERROR');
    expect(broken.message).toContain('broke off its stream');
  });

  it('validates each event', async () => {
    const { baseURL } = await serve((_req, res) => sendEventStream(res, 'data: {"ok":true}\n\ndata: {not json\n\n'));
    const error = await failure(collect(new OpenAIClient(testSettings(baseURL)).streamJson('/things', {}, okSchema)));
    expect(isFerryError(error, 'PROVIDER_BAD_RESPONSE')).toBe(true);
    expect(error.message).toContain('not JSON: {not json');
  });
});
