// Open-loop load at a fixed rate (what wrk2 does; wrk and autocannon without
// a rate wait for each answer before the next request, which hides queueing).
// Request i is due at start + i / rate whether or not earlier ones have been
// answered, and its latency counts from when it was due, so a stalled server
// shows up in the percentiles instead of silently lowering the rate.
import { request } from 'node:http';
import { clientAgents } from './client-agents.mjs';

/**
 * @param {object} o
 * @param {string} o.url base URL, e.g. http://127.0.0.1:3000
 * @param {(i: number) => { method: string, path: string, body?: string }} o.requestFor the i-th request
 * @param {number} o.rate requests per second
 * @param {number} o.seconds how long to send
 * @param {number} [o.clients] simulated clients, each from its own loopback address (see client-agents.mjs)
 * @param {number} [o.timeoutMs] a request still unanswered after this counts as an error
 */
export async function runOpenLoop({ url, requestFor, rate, seconds, clients = 64, timeoutMs = 10_000 }) {
  const base = new URL(url);
  const agents = clientAgents(clients, 2);
  const total = Math.max(1, Math.round(rate * seconds));
  const latencies = new Float64Array(total);
  const statuses = new Map();
  let answered = 0;
  let errors = 0;
  let non2xx = 0;
  let sent = 0;
  const errorKinds = new Map();
  let finish;
  const done = new Promise((resolve) => (finish = resolve));
  const settle = () => {
    if (answered + errors === total) finish();
  };

  const send = (i, due) => {
    const { method, path, body } = requestFor(i);
    const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    let over = false;
    const fail = (kind) => {
      if (over) return;
      over = true;
      errors++;
      errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
      settle();
    };
    const req = request({ host: base.hostname, port: base.port, method, path, headers, agent: agents[i % agents.length], timeout: timeoutMs }, (res) => {
      res.on('data', () => {});
      res.on('end', () => {
        if (over) return;
        over = true;
        latencies[answered++] = performance.now() - due;
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode < 200 || res.statusCode >= 300) non2xx++;
        settle();
      });
      res.on('error', (e) => fail(e.code ?? 'response'));
    });
    req.on('timeout', () => {
      req.destroy();
      fail('timeout');
    });
    req.on('error', (e) => fail(e.code ?? 'request'));
    req.end(body);
  };

  await openConnections(base, agents, 2);
  const started = performance.now();
  const interval = 1000 / rate;
  await new Promise((resolve) => {
    // A 1 ms tick sends every request that has come due since the last one.
    const tick = setInterval(() => {
      const now = performance.now();
      while (sent < total && started + sent * interval <= now) {
        send(sent, started + sent * interval);
        sent++;
      }
      if (sent === total) {
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  const sendSeconds = (performance.now() - started) / 1000;
  const drained = await Promise.race([done.then(() => true), new Promise((r) => setTimeout(() => r(false), timeoutMs + 1000))]);
  const elapsed = (performance.now() - started) / 1000;
  for (const agent of agents) agent.destroy();
  const sorted = latencies.subarray(0, answered).sort();
  const at = (q) => (answered === 0 ? NaN : sorted[Math.min(answered - 1, Math.floor(q * answered))]);
  return {
    driver: 'node open loop',
    targetRate: rate,
    sent: total,
    answered,
    // Answers per second over the whole run, including the tail of the last requests.
    achievedRate: answered / elapsed,
    sendSeconds,
    // The driver could not send on schedule (it, not the server, was the limit).
    behindSchedule: sendSeconds > seconds * 1.02 + 0.05,
    drained,
    non2xx,
    socketErrors: errors + (drained ? 0 : total - answered - errors),
    errorKinds: Object.fromEntries(errorKinds),
    statuses: Object.fromEntries(statuses),
    latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: sorted[answered - 1] ?? NaN },
  };
}

/**
 * Opens every client's connections before the clock starts, as wrk does: the
 * first request on a fresh connection took ~200 ms to its first byte here
 * (connect itself 0.5 ms), so connections opened mid-run put a client-side
 * artefact into the tail. GET /health is public and not rate-limited.
 */
async function openConnections(base, agents, socketsEach) {
  const one = (agent) =>
    new Promise((resolve, reject) => {
      const req = request({ host: base.hostname, port: base.port, method: 'GET', path: '/health', agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
  await Promise.all(agents.flatMap((agent) => Array.from({ length: socketsEach }, () => one(agent))));
}
