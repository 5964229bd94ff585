import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatCompletionRequestSchema } from '../openai/chat-completions.js';
import { embeddingsRequestSchema } from '../openai/embeddings.js';
import { assertFuzzResponse, prototypeSnapshot } from './app-fuzz.test-helper.js';
import { ENDPOINTS, requestFor, validBodies, validSearchQuery } from './arbitraries.test-helper.js';
import { chatBodySchema, searchQuerySchema, startFuzzServer, ticketBodySchema, type FuzzServer } from './fuzz-server.test-helper.js';

/**
 * Cases per endpoint; CI runs the default. FERRY_FUZZ_RUNS raises it for a
 * long soak, FERRY_FUZZ_SEED replays a reported failure.
 */
const RUNS = Number(process.env.FERRY_FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FERRY_FUZZ_SEED ?? 20_261_129);

describe('HTTP fuzz: every endpoint answers 2xx or 4xx with a JSON error, never 5xx, and nothing pollutes prototypes', () => {
  let fuzz: FuzzServer;
  const before = prototypeSnapshot();

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
          assertFuzzResponse(req, res);
          const now = prototypeSnapshot();
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
