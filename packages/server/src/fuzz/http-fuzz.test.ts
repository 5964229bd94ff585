import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatCompletionRequestSchema } from '../openai/chat-completions.js';
import { embeddingsRequestSchema } from '../openai/embeddings.js';
import { ENDPOINTS, requestFor, validBodies, validSearchQuery, type FuzzRequest } from './arbitraries.test-helper.js';
import { chatBodySchema, searchQuerySchema, startFuzzServer, ticketBodySchema, type FuzzServer } from './fuzz-server.test-helper.js';

/**
 * Cases per endpoint; CI runs the default. FERRY_FUZZ_RUNS raises it for a
 * long soak, FERRY_FUZZ_SEED replays a reported failure.
 */
const RUNS = Number(process.env.FERRY_FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FERRY_FUZZ_SEED ?? 20_261_129);

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
const snapshot = () => PROTOTYPES.map((p) => Reflect.ownKeys(p).map(String).sort().join(','));

function assertResponse(req: FuzzRequest, res: { statusCode: number; headers: Record<string, unknown>; body: string }): void {
  const where = `${req.method} ${req.url.slice(0, 200)} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
  if (res.statusCode >= 500 || res.statusCode < 200 || (res.statusCode >= 300 && res.statusCode < 400)) throw new Error(`status outside 2xx/4xx: ${where}`);
  if (req.method === 'HEAD') return;
  const type = String(res.headers['content-type'] ?? '');
  if (type.startsWith('text/event-stream') || type.startsWith('text/plain')) {
    if (res.statusCode !== 200) throw new Error(`non-JSON error body: ${where}`);
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    throw new Error(`body is not JSON: ${where}`);
  }
  if (res.statusCode >= 400) {
    const error = (json as { error?: Record<string, unknown> }).error;
    if (!error || typeof error.code !== 'string' || typeof error.message !== 'string' || typeof error.requestId !== 'string' || error.requestId !== res.headers['x-request-id']) {
      throw new Error(`4xx without the error shape: ${where}`);
    }
  }
  if (({} as Record<string, unknown>).polluted !== undefined) throw new Error(`Object.prototype polluted by: ${where}`);
}

describe('HTTP fuzz: every endpoint answers 2xx or 4xx with a JSON error, never 5xx, and nothing pollutes prototypes', () => {
  let fuzz: FuzzServer;
  const before = snapshot();

  beforeAll(async () => {
    fuzz = await startFuzzServer();
  });

  afterAll(async () => {
    await fuzz.server.close();
  });

  it('generates well-formed inputs that the real schemas accept', () => {
    const sample = <T>(arb: fc.Arbitrary<T>) => fc.sample(arb, { numRuns: 200, seed: SEED });
    for (const b of sample(validBodies.chatCompletion)) expect(chatCompletionRequestSchema.safeParse(b).success).toBe(true);
    for (const b of sample(validBodies.embeddings)) expect(embeddingsRequestSchema.safeParse(b).success).toBe(true);
    for (const b of sample(validBodies.ticket)) expect(ticketBodySchema.safeParse(b).error).toBeUndefined();
    for (const b of sample(validBodies.chat)) expect(chatBodySchema.safeParse(b).success).toBe(true);
    for (const q of sample(validSearchQuery)) {
      const params = new URLSearchParams(q);
      const tags = params.getAll('tag');
      const parsed = searchQuerySchema.safeParse({ ...Object.fromEntries(params), ...(tags.length > 1 ? { tag: tags } : {}) });
      expect(parsed.error).toBeUndefined();
    }
  });

  for (const endpoint of ENDPOINTS) {
    it(`${endpoint.name}: ${RUNS} cases`, async () => {
      const statuses = new Map<number, number>();
      const result = await fc.check(
        fc.asyncProperty(requestFor(endpoint), async (req) => {
          const res = await fuzz.server.fastify.inject(req);
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          assertResponse(req, res);
          const now = snapshot();
          if (now.some((s, i) => s !== before[i])) throw new Error(`a prototype gained or lost a property after ${req.method} ${req.url}`);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      // fast-check's report carries the seed, the path and the shrunk request: enough to replay with FERRY_FUZZ_SEED.
      if (result.failed) throw new Error(fc.defaultReportMessage(result) ?? `fuzz failed (seed ${SEED})`);
      expect(result.numRuns).toBe(RUNS);
      // Both halves of the space are reached: some requests are served, some refused.
      expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
      expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
    }, 120_000);
  }
});
