import type { Writable } from 'node:stream';
import { FerryHost } from '@ferry/core';
import { z } from 'zod';
import { createFerryServer, type FerryServer } from '../create-ferry-server.js';
import { defineRoute } from '../http/define-route.js';
import { testAuth } from '../server.test-helper.js';

/** A nested body, as a generated customer-service app declares one. */
export const ticketBodySchema = z.strictObject({
  customer: z.strictObject({
    id: z.string().min(1).max(64),
    email: z.email(),
    tier: z.enum(['free', 'pro', 'enterprise']),
  }),
  items: z
    .array(
      z.strictObject({
        sku: z.string().regex(/^[A-Z0-9-]{3,20}$/),
        qty: z.number().int().min(1).max(99),
        options: z.record(z.string().max(32), z.string().max(200)).optional(),
      }),
    )
    .min(1)
    .max(50),
  notes: z.string().max(2000).optional(),
  priority: z.enum(['low', 'normal', 'high']).default('normal'),
});

/** The README's chat route: a session per user. */
export const chatBodySchema = z.strictObject({ user_id: z.string().min(1).max(128), message: z.string().min(1).max(4000) });

export const searchQuerySchema = z.strictObject({
  q: z.string().min(1).max(200),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  tag: z.union([z.string().max(32), z.array(z.string().max(32)).max(10)]).optional(),
});

/** How often each app handler ran, so tests can tell a request was refused before it. */
export interface HandlerCalls {
  tickets: number;
  chat: number;
  search: number;
}

export interface FuzzServer {
  server: FerryServer;
  calls: HandlerCalls;
}

/**
 * Every kind of endpoint a Ferry app exposes: the built-in ones, the
 * OpenAI-compatible ones over the offline models, two app routes with zod
 * bodies (one nested) and one with a query schema.
 */
export async function startFuzzServer(options: { logStream?: Writable; rateLimit?: false | { perIp: { capacity: number; refillPerSecond: number } } } = {}): Promise<FuzzServer> {
  const host = await FerryHost.start({ config: { models: { chat: 'offline:extractive', embedder: 'offline:hash-64' } } });
  const server = await createFerryServer({
    host,
    auth: testAuth,
    // Logging (and its redaction, ~1 ms a request) is off here for speed; log-scan.test.ts fuzzes with it on.
    logger: options.logStream ? { level: 'info', stream: options.logStream } : false,
    sessions: { store: 'memory' },
    readyModels: [{ task: 'text-generation', model: 'chat' }],
    // Many per-IP tokens so the fuzz reaches the handlers; the limiter itself is exercised by its own tests.
    rateLimit: options.rateLimit ?? { perIp: { capacity: 1_000_000, refillPerSecond: 1_000_000 }, perKey: { capacity: 1_000_000, refillPerSecond: 1_000_000 } },
  });
  const calls: HandlerCalls = { tickets: 0, chat: 0, search: 0 };
  server.route(
    defineRoute({
      method: 'POST',
      url: '/api/tickets',
      scope: 'chat',
      body: ticketBodySchema,
      async handler({ body, apiKey }) {
        calls.tickets++;
        await server.sessions!.append(body.customer.id, { role: 'user', content: body.notes ?? `${body.items.length} items` });
        return { ticket: { customer: body.customer.id, items: body.items.length, priority: body.priority }, by: apiKey?.id };
      },
    }),
  );
  server.route(
    defineRoute({
      method: 'POST',
      url: '/api/chat',
      scope: 'chat',
      body: chatBodySchema,
      async handler({ body }) {
        calls.chat++;
        await server.sessions!.append(body.user_id, { role: 'user', content: body.message });
        return { history: await server.sessions!.history(body.user_id, 5) };
      },
    }),
  );
  server.route(
    defineRoute({
      method: 'GET',
      url: '/api/search',
      query: searchQuerySchema,
      handler({ query }) {
        calls.search++;
        const tags = query.tag === undefined ? [] : [query.tag].flat();
        return { q: query.q, limit: query.limit, tags, results: [] };
      },
    }),
  );
  await server.fastify.ready();
  return { server, calls };
}
