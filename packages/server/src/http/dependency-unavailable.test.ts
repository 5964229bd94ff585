import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAIProvider, withCircuitBreaker, FerryError } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createFerryServer, type FerryServer } from '../create-ferry-server.js';
import { defineRoute } from './define-route.js';

// A real model endpoint that has crashed (every call 500) behind a real OpenAI client and a circuit breaker.
let endpoint: Server;
let calls = 0;
let server: FerryServer;

beforeAll(async () => {
  endpoint = createServer((_req, res) => {
    calls += 1;
    res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'worker died' } }));
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  const { port } = endpoint.address() as AddressInfo;
  const provider = createOpenAIProvider({ baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
  const model = withCircuitBreaker(await provider.create('text-generation', 'm'), { failures: 2, cooldownMs: 60_000 });
  server = await createFerryServer({ auth: false, logger: false });
  server.route(
    defineRoute({
      method: 'POST',
      url: '/api/ask',
      body: z.strictObject({ q: z.string() }),
      handler: async ({ body }) => ({ text: (await model.generate(body.q)).text }),
    }),
  );
  server.route(
    defineRoute({
      method: 'GET',
      url: '/api/store',
      handler: () => {
        throw new FerryError('PROVIDER_HTTP_ERROR', 'the Chroma server at http://127.0.0.1:1 cannot be reached', {
          hint: 'Start it.',
          details: { unavailable: 'vector store (Chroma at http://127.0.0.1:1)' },
        });
      },
    }),
  );
});

afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => endpoint?.close(resolve));
});

describe('a dependency that is down', () => {
  it('is a 502 while the model endpoint fails, then a 503 with Retry-After once its breaker is open, without calling it', async () => {
    const ask = () => server.fastify.inject({ method: 'POST', url: '/api/ask', payload: { q: 'hi' } });
    expect((await ask()).statusCode).toBe(502);
    expect((await ask()).statusCode).toBe(502);
    const open = await ask();
    expect(open.statusCode).toBe(503);
    expect(Number(open.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(open.json().error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: expect.stringContaining('openai:m is not called: its circuit breaker opened') });
    expect(open.json().error.hint).toContain('openai:m is unavailable');
    expect(calls).toBe(2);
  });

  it('names the unavailable store in a 503 rather than a bare 500', async () => {
    const res = await server.fastify.inject({ url: '/api/store' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json().error.message).toContain('the Chroma server at http://127.0.0.1:1 cannot be reached');
    expect(res.json().error.requestId).toEqual(expect.any(String));
  });
});
