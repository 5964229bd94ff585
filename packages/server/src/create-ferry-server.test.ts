import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateApiKey } from './auth/api-key-hash.js';
import { verifyAuditLog } from './audit/audit-log.js';
import { createFerryServer } from './create-ferry-server.js';
import { defineRoute } from './http/define-route.js';
import { LogCapture, TEST_KEYS, testAuth } from './server.test-helper.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

const echoRoute = defineRoute({
  method: 'POST',
  url: '/api/echo',
  scope: 'chat',
  body: z.strictObject({ user_id: z.string().min(1), message: z.string().min(1), tags: z.array(z.string()).optional() }),
  handler: ({ body, apiKey }) => ({ echoed: body.message, user: body.user_id, key: apiKey?.id }),
});

describe('createFerryServer options', () => {
  it('names the missing field when auth is not configured', async () => {
    await expect(createFerryServer({} as never)).rejects.toMatchObject({ code: 'CONFIG_INVALID', field: 'auth' });
  });

  it('names the bad key entry', async () => {
    await expect(createFerryServer({ auth: { keys: [{ key: 'short', scopes: ['chat'] }] } })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      field: 'auth.keys[0].key',
    });
  });

  it('refuses a persistent session store without an encryption key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-server-'));
    await expect(
      createFerryServer({ auth: false, logger: false, sessions: { store: 'sqlite', path: join(dir, 's.db') } }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID', field: 'sessions.encryption' });
  });
});

describe('createFerryServer security', () => {
  it('answers 401 without or with a wrong key, 403 without the scope, 200 with it', async () => {
    const server = await createFerryServer({ auth: testAuth, logger: false });
    server.route(echoRoute);
    const body = { user_id: 'u1', message: 'hi' };
    const none = await server.fastify.inject({ method: 'POST', url: '/api/echo', payload: body });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.json().error).toMatchObject({ code: 'AUTH_REQUIRED', field: 'authorization' });

    const wrong = await server.fastify.inject({ method: 'POST', url: '/api/echo', payload: body, headers: bearer(`${TEST_KEYS.chat}x`) });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('AUTH_INVALID');

    const forbidden = await server.fastify.inject({ method: 'POST', url: '/api/echo', payload: body, headers: bearer(TEST_KEYS.embeddings) });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('"chat"') });

    const ok = await server.fastify.inject({ method: 'POST', url: '/api/echo', payload: body, headers: { 'x-api-key': TEST_KEYS.chat } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ echoed: 'hi', user: 'u1', key: 'chat-app' });

    const admin = await server.fastify.inject({ method: 'POST', url: '/api/echo', payload: body, headers: bearer(TEST_KEYS.admin) });
    expect(admin.statusCode).toBe(200);
    await server.close();
  });

  it('validates JSON bodies with zod and names the field in a 400', async () => {
    const server = await createFerryServer({ auth: false, logger: false });
    server.route(echoRoute);
    const res = await server.fastify.inject({ method: 'POST', url: '/api/echo', payload: { user_id: 'u1', tags: ['a', 3] } });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error).toMatchObject({ code: 'INPUT_INVALID', field: 'body.message' });
    expect(error.hint).toContain('body.message');
    expect(error.message).toContain('more problem');
    await server.close();
  });

  it('refuses __proto__ and constructor.prototype keys, so nothing is polluted', async () => {
    const server = await createFerryServer({ auth: false, logger: false });
    server.fastify.post('/api/raw', async (request) => ({ keys: Object.keys(request.body as object) }));
    for (const payload of ['{"a":1,"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}']) {
      const res = await server.fastify.inject({ method: 'POST', url: '/api/raw', payload, headers: { 'content-type': 'application/json' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'INPUT_INVALID', field: 'body' });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await server.close();
  });

  it('rejects bodies over the limit (413) and absurdly nested JSON (400)', async () => {
    const server = await createFerryServer({ auth: false, logger: false, bodyLimit: 2048 });
    server.fastify.post('/api/raw', async () => ({ ok: true }));
    const big = await server.fastify.inject({ method: 'POST', url: '/api/raw', payload: { text: 'x'.repeat(5000) } });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('BODY_TOO_LARGE');
    const deep = await server.fastify.inject({ method: 'POST', url: '/api/raw', payload: '['.repeat(500) + ']'.repeat(500), headers: { 'content-type': 'application/json' } });
    expect(deep.statusCode).toBe(400);
    expect(deep.json().error.message).toContain('nested deeper');
    const latin1 = await server.fastify.inject({ method: 'POST', url: '/api/raw', payload: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]), headers: { 'content-type': 'application/json' } });
    expect(latin1.statusCode).toBe(400);
    expect(latin1.json().error.message).toContain('UTF-8');
    const broken = await server.fastify.inject({ method: 'POST', url: '/api/raw', payload: '{"a":', headers: { 'content-type': 'application/json' } });
    expect(broken.statusCode).toBe(400);
    await server.close();
  });

  it('rate-limits per key and per IP with 429 and retry-after', async () => {
    const server = await createFerryServer({
      auth: testAuth,
      logger: false,
      rateLimit: { perIp: { capacity: 4, refillPerSecond: 0.01 }, perKey: { capacity: 2, refillPerSecond: 0.01 } },
    });
    server.route(echoRoute);
    const send = (key: string, ip = '10.0.0.1') =>
      server.fastify.inject({ method: 'POST', url: '/api/echo', payload: { user_id: 'u', message: 'm' }, headers: bearer(key), remoteAddress: ip });
    expect((await send(TEST_KEYS.chat)).statusCode).toBe(200);
    expect((await send(TEST_KEYS.chat)).statusCode).toBe(200);
    const limited = await send(TEST_KEYS.chat);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.message).toContain('API key');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another key from the same address still has its own bucket...
    expect((await send(TEST_KEYS.admin)).statusCode).toBe(200);
    // ...until the address's bucket (4) runs dry.
    const ipLimited = await send(TEST_KEYS.admin);
    expect(ipLimited.statusCode).toBe(429);
    expect(ipLimited.json().error.message).toContain('address');
    expect((await send(TEST_KEYS.admin, '10.0.0.2')).statusCode).toBe(200);
    // Health probes are public and never limited.
    for (let i = 0; i < 10; i++) expect((await server.fastify.inject({ url: '/health', remoteAddress: '10.0.0.1' })).statusCode).toBe(200);
    await server.close();
  });

  it('limits scrypt checks of wrong secrets per IP, never the keys already verified', async () => {
    const server = await createFerryServer({
      auth: testAuth,
      logger: false,
      rateLimit: { perIp: { capacity: 1000, refillPerSecond: 1000 }, perKey: { capacity: 1000, refillPerSecond: 1000 }, perIpKeyChecks: { capacity: 3, refillPerSecond: 0.01 } },
    });
    server.route(echoRoute);
    const send = (key: string, ip = '10.0.0.1') =>
      server.fastify.inject({ method: 'POST', url: '/api/echo', payload: { user_id: 'u', message: 'm' }, headers: bearer(key), remoteAddress: ip });
    // A right key costs one check, the first time only.
    expect((await send(TEST_KEYS.chat)).statusCode).toBe(200);
    // Guesses for the known id "chat-app" each cost a check: two are left, then 429.
    const guess = () => generateApiKey('chat-app');
    expect((await send(guess())).statusCode).toBe(401);
    expect((await send(guess())).statusCode).toBe(401);
    const limited = await send(guess());
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.message).toContain('API keys to check');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Keys of unknown ids need no scrypt: plain 401s, not limited.
    for (let i = 0; i < 5; i++) expect((await send(generateApiKey('nobody'))).statusCode).toBe(401);
    // The verified key is a hash lookup and goes on working from the same address; another address has its own bucket.
    for (let i = 0; i < 5; i++) expect((await send(TEST_KEYS.chat)).statusCode).toBe(200);
    expect((await send(TEST_KEYS.admin)).statusCode).toBe(429);
    expect((await send(TEST_KEYS.admin, '10.0.0.2')).statusCode).toBe(200);
    await server.close();
  });

  it('echoes a well-formed x-request-id and replaces a malformed one', async () => {
    const server = await createFerryServer({ auth: false, logger: false });
    const given = await server.fastify.inject({ url: '/health', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const bad = await server.fastify.inject({ url: '/health', headers: { 'x-request-id': 'a b\u0000<script>' } });
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const err = await server.fastify.inject({ url: '/nope', headers: { 'x-request-id': 'req-9' } });
    expect(err.statusCode).toBe(404);
    expect(err.json().error.requestId).toBe('req-9');
    await server.close();
  });

  it('writes structured logs with PII and secrets redacted', async () => {
    const logs = new LogCapture();
    const server = await createFerryServer({ auth: testAuth, logger: { level: 'info', stream: logs } });
    server.route(
      defineRoute({
        method: 'POST',
        url: '/api/fail',
        scope: 'chat',
        body: z.looseObject({}),
        handler: ({ request }) => {
          request.log.info({ customer: { email: 'jane.doe@example.com', phone: '+1 415 555 0134' } }, 'lookup for jane.doe@example.com');
          throw new Error('db said: no row for card 4111 1111 1111 1111');
        },
      }),
    );
    const res = await server.fastify.inject({
      method: 'POST',
      url: '/api/fail?email=jane.doe@example.com',
      payload: {},
      headers: bearer(TEST_KEYS.chat),
    });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.message).toBe('internal server error');
    await server.fastify.inject({ url: '/health', headers: bearer(TEST_KEYS.admin) });
    await server.close();
    const text = logs.text;
    expect(logs.lines.length).toBeGreaterThan(3);
    for (const line of logs.lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(text).not.toContain('jane.doe@example.com');
    expect(text).not.toContain('4111 1111 1111 1111');
    expect(text).not.toContain('555 0134');
    expect(text).not.toContain(TEST_KEYS.chat);
    expect(text).not.toContain(TEST_KEYS.admin);
    expect(text).toContain('[EMAIL]');
    expect(text).toContain('"reqId"');
  });

  it('audits refused requests in a hash-chained log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-audit-'));
    const path = join(dir, 'audit.jsonl');
    const server = await createFerryServer({ auth: testAuth, logger: false, audit: { path, requests: true } });
    server.route(echoRoute);
    await server.fastify.inject({ method: 'POST', url: '/api/echo', payload: { user_id: 'u', message: 'm' } });
    await server.fastify.inject({ method: 'POST', url: '/api/echo', payload: { user_id: 'u', message: 'm' }, headers: bearer(TEST_KEYS.embeddings) });
    await server.fastify.inject({ method: 'POST', url: '/api/echo', payload: { user_id: 'u', message: 'm' }, headers: bearer(TEST_KEYS.chat) });
    await server.close();
    const types = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l).type);
    expect(types).toEqual(['auth.missing', 'auth.forbidden', 'request']);
    expect(verifyAuditLog(path)).toMatchObject({ ok: true, entries: 3 });
  });
});

describe('health, readiness and metrics', () => {
  it('reports readiness per check and 503 with the reason when one fails', async () => {
    let storeUp = true;
    const server = await createFerryServer({
      auth: testAuth,
      logger: false,
      readiness: [{ name: 'vector-store', check: () => (storeUp ? undefined : 'chroma unreachable at 127.0.0.1:8000') }],
      readinessTimeoutMs: 200,
    });
    server.addReadinessCheck('model', async () => new Promise<void>(() => undefined));
    expect((await server.fastify.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    const down = await server.fastify.inject({ url: '/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.json().checks).toEqual([
      { name: 'vector-store', ok: true, ms: expect.any(Number) },
      { name: 'model', ok: false, ms: expect.any(Number), reason: 'no answer within 200 ms' },
    ]);
    storeUp = false;
    const both = await server.fastify.inject({ url: '/ready' });
    expect(both.json().checks[0]).toMatchObject({ ok: false, reason: 'chroma unreachable at 127.0.0.1:8000' });
    await server.close();
  });

  it('serves Prometheus metrics to admin keys only', async () => {
    const server = await createFerryServer({ auth: testAuth, logger: false });
    server.route(echoRoute);
    await server.fastify.inject({ method: 'POST', url: '/api/echo', payload: { user_id: 'u', message: 'm' }, headers: bearer(TEST_KEYS.chat) });
    await server.fastify.inject({ method: 'POST', url: '/api/echo', payload: {}, headers: bearer(TEST_KEYS.chat) });
    await server.fastify.inject({ url: '/random/path/123' });
    expect((await server.fastify.inject({ url: '/metrics', headers: bearer(TEST_KEYS.chat) })).statusCode).toBe(403);
    const res = await server.fastify.inject({ url: '/metrics', headers: bearer(TEST_KEYS.admin) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(text).toContain('ferry_http_requests_total{method="POST",route="/api/echo",status="200"} 1');
    expect(text).toContain('ferry_http_requests_total{method="POST",route="/api/echo",status="400"} 1');
    expect(text).toContain('route="unmatched",status="401"');
    expect(text).not.toContain('/random/path');
    expect(text).toMatch(/ferry_http_request_duration_seconds_bucket\{method="POST",route="\/api\/echo",le="\+Inf"\} 2/);
    expect(text).toMatch(/ferry_http_requests_in_flight 1\n/);
    await server.close();
  });
});
