import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createFerryServer, type FerryServer } from './create-ferry-server.js';
import { defineRoute } from './http/define-route.js';
import { redisUnavailable, startRedis } from './sessions/redis-server.test-helper.js';

const encryption = { keys: [{ id: 'k1', key: Buffer.alloc(32, 7).toString('base64') }] };

function chatRoute(server: FerryServer) {
  return defineRoute({
    method: 'POST',
    url: '/api/chat',
    body: z.strictObject({ user_id: z.string().min(1), message: z.string().min(1) }),
    handler: async ({ body }) => {
      await server.sessions!.append(body.user_id, { role: 'user', content: body.message });
      return { history: (await server.sessions!.history(body.user_id, 10)).map((t) => t.content) };
    },
  });
}

describe('sessions through the server', () => {
  it('keeps history in the SQLite store across a restart', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ferry-server-sessions-')), 'sessions.db');
    const start = async () => {
      const server = await createFerryServer({ auth: false, logger: false, sessions: { store: 'sqlite', path, encryption } });
      return server.route(chatRoute(server));
    };
    const first = await start();
    await first.fastify.inject({ method: 'POST', url: '/api/chat', payload: { user_id: 'u1', message: 'hello' } });
    await first.close();
    const second = await start();
    const res = await second.fastify.inject({ method: 'POST', url: '/api/chat', payload: { user_id: 'u1', message: 'again' } });
    expect(res.json()).toEqual({ history: ['hello', 'again'] });
    const ready = await second.fastify.inject({ url: '/ready' });
    expect(ready.json()).toMatchObject({ status: 'ready', checks: [{ name: 'sessions:sqlite', ok: true }] });
    await second.close();
  });

  const noRedis = redisUnavailable();
  it.skipIf(noRedis !== undefined)(`answers 503 with a reason, not a crash, while Redis is down${noRedis ? ` (skipped: ${noRedis})` : ''}`, async () => {
    const redis = await startRedis();
    const server = await createFerryServer({ auth: false, logger: false, sessions: { store: 'redis', url: redis.url, encryption } });
    server.route(chatRoute(server));
    const ok = await server.fastify.inject({ method: 'POST', url: '/api/chat', payload: { user_id: 'u1', message: 'hi' } });
    expect(ok.statusCode).toBe(200);
    await redis.stop();
    const down = await server.fastify.inject({ method: 'POST', url: '/api/chat', payload: { user_id: 'u1', message: 'hi' } });
    expect(down.statusCode).toBe(503);
    expect(down.json().error.code).toBe('SESSION_STORE_UNAVAILABLE');
    const ready = await server.fastify.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks[0]).toMatchObject({ name: 'sessions:redis', ok: false, reason: expect.stringContaining('Redis') });
    await server.close();
  });
});

describe('rate limits shared through Redis', () => {
  const noRedis = redisUnavailable();
  it.skipIf(noRedis !== undefined)(`two replicas draw from one per-IP bucket${noRedis ? ` (skipped: ${noRedis})` : ''}`, async () => {
    const redis = await startRedis();
    const replica = () =>
      createFerryServer({
        auth: false,
        logger: false,
        rateLimit: { redisUrl: redis.url, perIp: { capacity: 3, refillPerSecond: 0.01 } },
      }).then((s) => {
        s.fastify.get('/api/ping', async () => ({ pong: true }));
        return s;
      });
    const [a, b] = await Promise.all([replica(), replica()]);
    const statuses: number[] = [];
    for (const server of [a, b, a, b]) statuses.push((await server.fastify.inject({ url: '/api/ping', remoteAddress: '10.9.9.9' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    await a.close();
    await b.close();
    await redis.stop();
  });
});
