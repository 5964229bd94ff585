import fc from 'fast-check';
import type { FuzzRequest } from './arbitraries.test-helper.js';

// Test files outside this package (the generated-app fuzz in create-app) reach fast-check through here.
export { fc };

/**
 * Every route in fastify's `printRoutes()` radix tree, as `METHOD /path`
 * (HEAD included). Each line is a piece of path under the one it hangs from
 * (`api/` > `a` > `sk` > `/stream`); the lines with methods end a route.
 */
export function routesFromTree(tree: string): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const at = line.indexOf('── ');
    if (at < 0) continue;
    const depth = Math.round((at - 1) / 4);
    const match = /^(\S+)(?: \(([^)]+)\))?/.exec(line.slice(at + 3));
    if (!match) continue;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + match[1];
    stack.push(path);
    for (const method of match[2]?.split(',') ?? []) routes.push(`${method.trim()} ${path}`);
  }
  return routes.sort();
}

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype];

/** The own keys of the built-in prototypes, to tell whether a request added or removed one. */
export function prototypeSnapshot(): string[] {
  return PROTOTYPES.map((p) => Reflect.ownKeys(p).map(String).sort().join(','));
}

/**
 * What every fuzzed answer must be: 2xx or 4xx, never 5xx, 1xx or 3xx; a 4xx
 * is the server's JSON error (code, message, requestId matching the
 * x-request-id header); a 2xx is JSON unless the route serves another type
 * (HTML page, event stream, markdown, metrics text); no prototype gained
 * `polluted`.
 */
export function assertFuzzResponse(req: FuzzRequest, res: { statusCode: number; headers: Record<string, unknown>; body: string }): void {
  const where = `${req.method} ${req.url.slice(0, 200)} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
  if (res.statusCode >= 500 || res.statusCode < 200 || (res.statusCode >= 300 && res.statusCode < 400)) throw new Error(`status outside 2xx/4xx: ${where}`);
  if (({} as Record<string, unknown>).polluted !== undefined) throw new Error(`Object.prototype polluted by: ${where}`);
  if (req.method === 'HEAD') return;
  const type = String(res.headers['content-type'] ?? '');
  if (!type.startsWith('application/json')) {
    if (res.statusCode >= 300) throw new Error(`non-JSON error body: ${where}`);
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
}

/**
 * A client address for the i-th request: mostly a fresh one, so the per-IP
 * rate limit (which a generated app keeps at its defaults) lets the fuzz
 * reach the handlers; every 20th keeps the request's own address, so 429s
 * are fuzzed too.
 */
export function clientAddress(i: number, own: string): string {
  return i % 20 === 0 ? own : `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

export interface EndpointFuzzResult {
  runs: number;
  statuses: Record<number, number>;
  ms: number;
}

export interface FuzzResponse {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
  /** Set by a sender whose server runs elsewhere: what changed in that process's prototypes. */
  prototypeChange?: string;
}

/**
 * Sends `runs` requests drawn from `requests` through `send` (inject, here or
 * in the app's process) and checks each answer (assertFuzzResponse) and the
 * prototypes. `concurrency` requests are in flight at once: a server in
 * another process works while the next cases are checked, and answers
 * interleave as under real traffic. A failure names the seed, the case's
 * index and the request; fc.sample with that seed draws the same cases.
 */
export async function fuzzEndpoint(
  send: (req: FuzzRequest) => Promise<FuzzResponse>,
  requests: fc.Arbitrary<FuzzRequest>,
  options: { runs: number; seed: number; concurrency?: number },
): Promise<EndpointFuzzResult> {
  const before = prototypeSnapshot();
  const statuses: Record<number, number> = {};
  const started = performance.now();
  const cases = fc.sample(requests, { numRuns: options.runs, seed: options.seed });
  let next = 0;
  let failure: Error | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < cases.length) {
      const i = next++;
      const req = cases[i]!;
      const sent = { ...req, remoteAddress: clientAddress(i, req.remoteAddress) };
      try {
        const res = await send(sent);
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        assertFuzzResponse(sent, res);
        if (res.prototypeChange) throw new Error(res.prototypeChange);
        if (prototypeSnapshot().some((s, k) => s !== before[k])) throw new Error('a prototype of the test process gained or lost a property');
      } catch (error) {
        const shown = JSON.stringify({ ...sent, payload: sent.payload === undefined ? undefined : String(sent.payload).slice(0, 2000) });
        failure ??= new Error(`fuzz case ${i} of seed ${options.seed} failed: ${(error as Error).message}\nrequest: ${shown}`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  if (failure) throw failure;
  return { runs: cases.length, statuses, ms: performance.now() - started };
}
