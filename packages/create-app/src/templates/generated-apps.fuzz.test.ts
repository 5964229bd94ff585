import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FuzzRequest } from '../../../server/src/fuzz/arbitraries.test-helper.js';
import { fuzzEndpoint, routesFromTree } from '../../../server/src/fuzz/app-fuzz.test-helper.js';
import type { CreatedApp } from '../create-app.js';
import { inApp, scaffold } from './generated-app.test-helper.js';
import { customerServiceEndpoints, knowledgeBaseEndpoints, startInjector, type AppEndpoint, type AppInjector } from './generated-apps.fuzz.test-helper.js';

/**
 * Cases per endpoint: the 10,000 in CI. 21 endpoints x 10,000 took
 * 111 s in all (build included) on the shared 2-core machine at load 5-6;
 * FERRY_FUZZ_RUNS changes it, FERRY_FUZZ_SEED replays a reported failure.
 */
const RUNS = Number(process.env.FERRY_FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FERRY_FUZZ_SEED ?? 20_261_129);

function fuzzApp(template: string, endpointsOf: () => AppEndpoint[]): void {
  describe(`${template}: every endpoint of the generated app answers 2xx or 4xx, never 5xx, and nothing pollutes prototypes`, () => {
    let app: CreatedApp | undefined;
    let injector: AppInjector | undefined;
    const endpoints = endpointsOf();

    beforeAll(async () => {
      app = await scaffold(template);
      await inApp(app, 'tsc', ['-p', 'tsconfig.build.json']);
      injector = await startInjector(app);
    }, 180_000);

    afterAll(async () => {
      await injector?.close();
      if (app) await rm(dirname(app.dir), { recursive: true, force: true });
    });

    it('fuzzes every route the app serves', () => {
      const served = routesFromTree(injector!.routesTree).filter((r) => !r.startsWith('HEAD '));
      expect(served).toEqual(endpoints.map((e) => e.route).filter((r) => r !== '(unmatched)').sort());
    });

    for (const endpoint of endpoints) {
      it(`${endpoint.route}: ${RUNS} cases`, async () => {
        const send = async (req: FuzzRequest) => {
          const res = await injector!.inject(req);
          endpoint.check?.(req, res);
          return res;
        };
        const result = await fuzzEndpoint(send, endpoint.requests, { runs: RUNS, seed: SEED });
        expect(result.runs).toBe(RUNS);
        const codes = Object.keys(result.statuses).map(Number);
        // Both halves of the space are reached: some requests are served, some refused.
        if (endpoint.route !== '(unmatched)') expect(codes.some((s) => s < 300)).toBe(true);
        expect(codes.some((s) => s >= 400)).toBe(true);
        console.log(`${template} ${endpoint.route}: ${RUNS} cases in ${(result.ms / 1000).toFixed(1)} s, statuses ${JSON.stringify(result.statuses)}`);
      }, 300_000);
    }
  });
}

fuzzApp('customer-service', customerServiceEndpoints);
fuzzApp('knowledge-base', knowledgeBaseEndpoints);
