import { FerryHost } from '@ferry/core';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createFerryServer } from '../create-ferry-server.js';
import { defineRoute } from '../http/define-route.js';
import { LogCapture, TEST_KEYS, testAuth } from '../server.test-helper.js';
import { ENDPOINTS, requestFor } from './arbitraries.test-helper.js';
import { startFuzzServer } from './fuzz-server.test-helper.js';

/** What must never reach a log line, in any form a request carries it. */
const SECRETS = {
  email: 'li.wei@example.cn',
  phoneIntl: '+44 20 7946 0958',
  chinaMobile: '13812345678',
  card: '4539 1488 0343 6467', // Luhn-valid
  cardCompact: '4539148803436467',
  openaiKey: 'sk-proj-Q3vT9xLm2Rw8Yp4Zk7Hn1Bc6Df0Gs5Aj',
  bearerChat: TEST_KEYS.chat,
  bodyAdminKey: TEST_KEYS.admin,
};

describe('logs of a full session carry no PII or secrets', () => {
  it('scans every line of a session with PII in URLs, bodies, headers, errors and app logs', async () => {
    const logs = new LogCapture();
    const host = await FerryHost.start({ config: { models: { chat: 'offline:extractive', embedder: 'offline:hash-64' } } });
    const server = await createFerryServer({ host, auth: testAuth, logger: { level: 'trace', stream: logs }, sessions: { store: 'memory' } });
    server.route(
      defineRoute({
        method: 'POST',
        url: '/api/support',
        scope: 'chat',
        body: z.looseObject({ user_id: z.string(), message: z.string() }),
        async handler({ body, request }) {
          // A careless app logs the whole body; the server's redaction must still hold.
          request.log.info({ body }, `support request from ${body.user_id}`);
          await server.sessions!.append(body.user_id, { role: 'user', content: body.message });
          if (body.message.includes('crash')) throw new Error(`billing failed for card ${SECRETS.card} (${SECRETS.email})`);
          return { ok: true };
        },
      }),
    );
    const auth = { authorization: `Bearer ${SECRETS.bearerChat}` };
    const message = `I am ${SECRETS.email}, call ${SECRETS.phoneIntl} or ${SECRETS.chinaMobile}; card ${SECRETS.card} / ${SECRETS.cardCompact}; my key ${SECRETS.openaiKey} and ${SECRETS.bodyAdminKey}`;
    const statuses: number[] = [];
    const send = async (req: InjectOptions) => statuses.push((await server.fastify.inject(req)).statusCode);

    await send({ method: 'POST', url: `/api/support?email=${encodeURIComponent(SECRETS.email)}&phone=${SECRETS.chinaMobile}`, headers: auth, payload: { user_id: SECRETS.email, message } });
    await send({ method: 'POST', url: '/api/support', headers: { 'x-api-key': SECRETS.bearerChat }, payload: { user_id: SECRETS.chinaMobile, message: `crash ${message}` } });
    await send({ method: 'POST', url: '/api/support', headers: { authorization: `Bearer ${SECRETS.openaiKey}` }, payload: { user_id: 'u', message } });
    await send({ method: 'POST', url: '/api/support', headers: { ...auth, 'content-type': 'application/json', 'x-request-id': SECRETS.chinaMobile }, payload: `{"user_id":"${SECRETS.email}","message":` });
    await send({ method: 'POST', url: '/v1/chat/completions', headers: auth, payload: { model: 'chat', messages: [{ role: 'user', content: message }], documents: [{ id: 'd1', text: message }] } });
    await send({ method: 'POST', url: '/v1/chat/completions', headers: auth, payload: { model: 'chat', stream: true, messages: [{ role: 'user', content: message }] } });
    await send({ method: 'POST', url: '/v1/chat/completions', headers: auth, payload: { model: `nope-${SECRETS.email}`, messages: [{ role: 'user', content: message }] } });
    await send({ method: 'POST', url: '/v1/embeddings', headers: { authorization: `Bearer ${SECRETS.bodyAdminKey}` }, payload: { model: 'embedder', input: [message] } });
    await send({ method: 'GET', url: `/nope/${encodeURIComponent(SECRETS.email)}/${SECRETS.cardCompact}`, headers: auth });
    await send({ method: 'GET', url: `/%zz?card=${SECRETS.cardCompact}`, headers: auth });
    await send({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${SECRETS.bodyAdminKey}` } });
    await server.close();

    expect(statuses).toEqual([200, 500, 401, 400, 200, 200, 404, 200, 404, 400, 200]);
    expect(logs.lines.length).toBeGreaterThan(20);
    for (const line of logs.lines) expect(() => JSON.parse(line)).not.toThrow();
    for (const [what, secret] of Object.entries(SECRETS)) {
      const hits = logs.lines.filter((l) => l.includes(secret) || l.includes(encodeURIComponent(secret)));
      expect(hits, `${what} leaked into the log`).toEqual([]);
    }
    // The lines still say what happened: redaction replaced values, it did not drop the records.
    expect(logs.text).toContain('[EMAIL]');
    expect(logs.text).toContain('support request from');
    expect(logs.text).toContain('"statusCode":500');
  });

  it('keeps every log line valid JSON, and the server up, under fuzzed requests with logging on', async () => {
    const logs = new LogCapture();
    const fuzz = await startFuzzServer({ logStream: logs });
    for (const endpoint of ENDPOINTS) {
      for (const req of fc.sample(requestFor(endpoint), { numRuns: 30, seed: 7 })) {
        const res = await fuzz.server.fastify.inject(req);
        expect(res.statusCode, `${req.method} ${req.url}`).toBeLessThan(500);
      }
    }
    await fuzz.server.close();
    expect(logs.lines.length).toBeGreaterThan(300);
    for (const line of logs.lines) expect(() => JSON.parse(line)).not.toThrow();
    for (const key of Object.values(TEST_KEYS)) expect(logs.text).not.toContain(key);
  });
});
