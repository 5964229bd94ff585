import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCsvRecords } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIN_CONFIDENCE, IntentRouter, type Route } from '../../../../templates/customer-service/files/src/intent-router.js';

const DATA = new URL('../../../../templates/customer-service/files/data/', import.meta.url);
// BANKING77's test split lives in the shared data folder, outside the repository; without it there is nothing to measure.
const TEST_CSV = fileURLToPath(new URL('../../../../../shared/data/intents/test.csv', import.meta.url));

/** The field guide's detect_intent, keyword rules checked in order, as the baseline. */
function keywordRoute(text: string): Route {
  const rules: Array<[Route, string[]]> = [
    ['billing', ['bill', 'invoice', 'payment', 'charge']],
    ['technical', ['problem', 'issue', 'error', 'not working', 'bug']],
    ['account', ['account', 'profile', 'login', 'password']],
  ];
  const lower = text.toLowerCase();
  return rules.find(([, words]) => words.some((w) => lower.includes(w)))?.[0] ?? 'general';
}

/** Intent and route accuracy of the classifier's best guess; below `floor` confidence the router says `unclear` / general instead. */
async function measure(router: IntentRouter, rows: Array<Record<string, string>>, routeOf: Map<string, Route>, floor: number) {
  let intentHits = 0;
  let routeHits = 0;
  let flooredRouteHits = 0;
  let unclear = 0;
  for (const row of rows) {
    const routed = await router.route(row['text'] ?? '');
    const expected = routeOf.get(row['category'] ?? '');
    if (routed.intent === row['category']) intentHits += 1;
    if (routed.route === expected) routeHits += 1;
    const below = routed.confidence < floor;
    if (below) unclear += 1;
    if ((below ? 'general' : routed.route) === expected) flooredRouteHits += 1;
  }
  const n = rows.length;
  return { intent: intentHits / n, route: routeHits / n, flooredRoute: flooredRouteHits / n, unclear: unclear / n };
}

describe.skipIf(!existsSync(TEST_CSV))('customer-service intent router on the BANKING77 test split', () => {
  it('routes held-out queries far better than the field guide keyword rules', async () => {
    const examples = new URL('intents.csv', DATA);
    const routesFile = new URL('intent-routes.json', DATA);
    const routes = JSON.parse(readFileSync(routesFile, 'utf8')) as Record<Route, string[]>;
    const routeOf = new Map(Object.entries(routes).flatMap(([route, intents]) => intents.map((i) => [i, route as Route] as const)));
    const rows = parseCsvRecords(readFileSync(TEST_CSV, 'utf8'));
    const keyword = rows.filter((row) => keywordRoute(row['text'] ?? '') === routeOf.get(row['category'] ?? '')).length / rows.length;
    const m = await measure(await IntentRouter.load(examples, routesFile, { minConfidence: 0 }), rows, routeOf, DEFAULT_MIN_CONFIDENCE);
    const f = (x: number) => x.toFixed(3);
    console.log(
      `BANKING77 test (${rows.length} queries): keyword rules route ${f(keyword)}; classifier intent ${f(m.intent)}, route ${f(m.route)}; ` +
        `with the ${DEFAULT_MIN_CONFIDENCE} confidence floor route ${f(m.flooredRoute)}, ${f(m.unclear)} unclear`,
    );
    expect(rows.length).toBe(3080);
    expect(m.route).toBeGreaterThan(0.85);
    expect(m.route).toBeGreaterThan(keyword + 0.3);
    expect(m.flooredRoute).toBeGreaterThan(0.85);
    expect(m.unclear).toBeLessThan(0.05);
    const router = await IntentRouter.load(examples, routesFile);
    // Off-topic messages and greetings go to the general route (knowledge base, then a person), not to billing or account.
    for (const text of ['Tell me a joke', 'hello', 'Do you offer travel insurance?', 'I want to buy a car']) {
      expect((await router.route(text)).route).toBe('general');
    }
  }, 60_000);
});
