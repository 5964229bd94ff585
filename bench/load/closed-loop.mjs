// Closed-loop maximum-throughput probe in Node for routes under the per-IP
// rate limit: `connections` clients, each sending its next request when the
// last is answered, each rotating over its own ADDRESSES loopback addresses
// (client-agents.mjs) so that a few fast connections stay under the per-IP
// limit (4 connections from 4 addresses got 429s for half their requests). wrk does the same from a single address, so it probes the
// routes the limit does not apply to (health, hello).
import { request } from 'node:http';
import { clientAgents } from './client-agents.mjs';

const ADDRESSES = 16;

export async function runClosedLoop({ url, requestFor, connections, seconds, timeoutMs = 10_000 }) {
  const base = new URL(url);
  const agents = clientAgents(connections * ADDRESSES, 1);
  const latencies = [];
  let non2xx = 0;
  let socketErrors = 0;
  let next = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  const one = (agent) =>
    new Promise((resolve) => {
      const { method, path, body } = requestFor(next++);
      const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      const t0 = performance.now();
      const req = request({ host: base.hostname, port: base.port, method, path, headers, agent, timeout: timeoutMs }, (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          latencies.push(performance.now() - t0);
          if (res.statusCode < 200 || res.statusCode >= 300) non2xx++;
          resolve();
        });
        res.on('error', () => {
          socketErrors++;
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        socketErrors++;
        resolve();
      });
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      for (let k = 0; performance.now() < end; k++) await one(agents[c * ADDRESSES + (k % ADDRESSES)]);
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  for (const agent of agents) agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { connections, seconds, requestsPerSecond: latencies.length / elapsed, requests: latencies.length, non2xx, socketErrors, latencyMs: { p50: at(0.5), p99: at(0.99) }, driver: 'node closed-loop' };
}
