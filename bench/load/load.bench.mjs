#!/usr/bin/env node
// Load: the generated customer-service app (offline models, memory sessions,
// no auth) against the field guide's Flask design and a bare fastify hello
// endpoint, each a real process on loopback. Per target: a closed-loop
// maximum-throughput probe at several connection counts (wrk for the GET
// routes; closed-loop.mjs, one loopback address per client, for the
// rate-limited POST /api/chat), then runs at 80% of that maximum (and any
// other LOAD_FRACTIONS) for LOAD_SECONDS: open-loop.mjs for POST /api/chat,
// wrk paced to the rate for the GET routes.
// Run after `npm run build`. Writes bench/results/load.json (see LOAD_RESULTS).
//
//   LOAD_SECONDS=60   fixed-rate run length
//   PROBE_SECONDS=10  each probe's length
//   LOAD_TARGETS=ferry-kb,flask-kb   only these targets
//   LOAD_FRACTIONS=0.8,0.5   fixed-rate runs at these shares of the maximum (the first is the one reported)
//   LOAD_RESULTS=load.json   results file under bench/results/
//   LOAD_REPEATS=3   runs at the first fraction for the knowledge-base targets (the p99 goal's), the median p99 reported
//   LOAD_WARM_SECONDS=10   discarded open-loop run before the fixed-rate runs of POST targets
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../packages/create-app/dist/index.js';
import { runClosedLoop } from './closed-loop.mjs';
import { runOpenLoop } from './open-loop.mjs';
import { freePort, startServer } from './processes.mjs';
import { WORKLOADS } from './workloads.mjs';
import { runWrk } from './wrk.mjs';

const here = import.meta.dirname;
const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const PROBE_SECONDS = Number(process.env.PROBE_SECONDS ?? 10);
const PROBE_CONNECTIONS = [4, 16, 64];
const FIXED_FRACTIONS = (process.env.LOAD_FRACTIONS ?? '0.8').split(',').map(Number);
const RESULTS = process.env.LOAD_RESULTS ?? 'load.json';
const REPEATS = Number(process.env.LOAD_REPEATS ?? 3);
const WARM_SECONDS = Number(process.env.LOAD_WARM_SECONDS ?? 10);
const PYTHON = process.env.FLASK_PYTHON ?? '/usr/bin/python3';

const TARGETS = [
  // The p99 goal is on knowledge-base answers: on a shared 2-core VM one 60 s run's p99 swings with stalls
  // outside the app (the same run gave 18 and 139 ms), so these are run REPEATS times and the median p99 reported.
  { id: 'ferry-kb', server: 'ferry', workload: 'kb', repeats: REPEATS },
  { id: 'flask-kb', server: 'flask', workload: 'kb', repeats: REPEATS },
  { id: 'ferry-mix', server: 'ferry', workload: 'mix' },
  { id: 'flask-mix', server: 'flask', workload: 'mix' },
  { id: 'ferry-health', server: 'ferry', workload: 'health' },
  { id: 'flask-health', server: 'flask', workload: 'health' },
  { id: 'fastify-hello', server: 'fastify', workload: 'hello' },
].filter((t) => !process.env.LOAD_TARGETS || process.env.LOAD_TARGETS.split(',').includes(t.id));

const work = mkdtempSync(join(tmpdir(), 'ferry-load-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const load = () => +loadavg()[0].toFixed(2);
const uptimeAtStart = execFileSync('uptime', { encoding: 'utf8' }).trim();

// The app, scaffolded and built as a user would (linked to this workspace).
console.log('scaffolding and building the customer-service app ...');
const appDir = join(work, 'app');
await createApp({ dir: appDir, name: 'load-customer-service', template: 'customer-service' });
execFileSync(join(appDir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: appDir, stdio: 'inherit' });

const SERVERS = {
  ferry: async (port) =>
    startServer({
      name: 'ferry customer-service',
      command: process.execPath,
      // As the app's Dockerfile and `npm start` run it.
      args: ['--max-semi-space-size=32', 'dist/main.js'],
      cwd: appDir,
      // In memory, keeping the last 10 turns per user: what the guide's ConversationManager keeps.
      env: { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', FERRY_SESSION_STORE: 'memory', FERRY_SESSION_MAX_TURNS: '10', FERRY_API_KEY: '', FERRY_API_KEYS_FILE: '' },
      port,
      readyPath: '/ready',
    }),
  flask: async (port) =>
    startServer({
      name: 'flask design',
      command: PYTHON,
      args: [join(here, 'flask_chat.py'), join(appDir, 'data/docs'), String(port)],
      cwd: work,
      env: {},
      port,
      readyPath: '/health',
    }),
  fastify: async (port) =>
    startServer({ name: 'fastify hello', command: process.execPath, args: [join(here, 'fastify_hello.mjs')], cwd: here, env: { PORT: String(port) }, port, readyPath: '/hello' }),
};

async function pacedWrk(url, workload, rate) {
  // wrk's delay() is whole milliseconds: 20 ms a cycle, and as many connections as the rate needs.
  const connections = Math.max(1, Math.round(rate / 50));
  const run = await runWrk({ url, path: workload.path, connections, seconds: LOAD_SECONDS, rate });
  return {
    driver: 'wrk, paced (closed loop with think time)',
    targetRate: rate,
    achievedRate: run.requestsPerSecond,
    answered: run.requests,
    non2xx: run.non2xx,
    socketErrors: run.socketErrors,
    latencyMs: run.latencyMs,
    behindSchedule: run.requestsPerSecond < 0.95 * rate,
  };
}

const rows = [];
for (const target of TARGETS) {
  const workload = WORKLOADS[target.workload];
  const server = await SERVERS[target.server](await freePort());
  try {
    const loadBefore = load();
    const bodies = workload.bodies;
    const requestFor = (i) => ({ method: workload.method, path: workload.path, ...(bodies ? { body: bodies[i % bodies.length] } : {}) });
    const probe = (connections, seconds) =>
      workload.method === 'POST'
        ? runClosedLoop({ url: server.url, requestFor, connections, seconds })
        : runWrk({ url: server.url, path: workload.path, connections, seconds });
    // JIT and caches warm before anything is measured.
    await probe(8, 3);
    const probes = [];
    for (const connections of PROBE_CONNECTIONS) probes.push(await probe(connections, PROBE_SECONDS));
    // Only answered 2xx count: a probe whose requests were refused (429) or failed measured no real capacity.
    const goodRate = (p) => (p.non2xx + p.socketErrors === 0 ? p.requestsPerSecond : 0);
    const best = probes.reduce((a, b) => (goodRate(b) > goodRate(a) ? b : a));
    // POST /api/chat (a few hundred requests/s at most): the Node open-loop driver. GET health/hello (thousands/s,
    // more than a Node client can send on the core the server leaves free): wrk, paced to the rate.
    const fixedRun = async (fraction) => {
      const rate = Math.max(1, Math.round(best.requestsPerSecond * fraction));
      const run =
        workload.method === 'POST'
          ? await runOpenLoop({ url: server.url, rate, seconds: LOAD_SECONDS, requestFor })
          : await pacedWrk(server.url, workload, rate);
      return { fraction, ...run };
    };
    if (workload.method === 'POST') {
      // Switching from the closed-loop probes to open-loop traffic deoptimised ~50 functions of the app's HTTP path
      // (--trace-deopt: "wrong map") and the first 2-3 s ran slow; a discarded open-loop run settles the JIT first.
      const rate = Math.max(1, Math.round(best.requestsPerSecond * FIXED_FRACTIONS[0]));
      await runOpenLoop({ url: server.url, rate, seconds: WARM_SECONDS, requestFor });
    }
    const repeats = [];
    for (let r = 0; r < (target.repeats ?? 1); r++) repeats.push(await fixedRun(FIXED_FRACTIONS[0]));
    const byP99 = [...repeats].sort((a, b) => a.latencyMs.p99 - b.latencyMs.p99);
    const fixed = byP99[Math.floor((byP99.length - 1) / 2)];
    const otherFixed = [];
    for (const fraction of FIXED_FRACTIONS.slice(1)) otherFixed.push(await fixedRun(fraction));
    const rate = fixed.targetRate;
    const row = {
      id: target.id,
      server: target.server,
      workload: target.workload,
      what: workload.what,
      maxRequestsPerSecond: +best.requestsPerSecond.toFixed(1),
      maxAtConnections: best.connections,
      probes,
      fixed,
      ...(repeats.length > 1 ? { fixedRepeatsP99Ms: repeats.map((r) => +r.latencyMs.p99.toFixed(2)), fixedRepeats: repeats } : {}),
      otherFixed,
      errors: [...repeats, ...otherFixed, ...probes].reduce((s, p) => s + p.non2xx + p.socketErrors, 0),
      loadBefore,
      loadAfter: load(),
    };
    rows.push(row);
    for (const o of otherFixed) console.log(`${row.id} at ${o.fraction} of max (${o.targetRate} req/s): p50 ${o.latencyMs.p50.toFixed(2)} ms, p99 ${o.latencyMs.p99.toFixed(2)} ms, errors ${o.non2xx + o.socketErrors}`);
    console.log(
      `${row.id}: max ${row.maxRequestsPerSecond} req/s (c=${row.maxAtConnections}); at ${rate} req/s: ${fixed.achievedRate.toFixed(1)} answered/s, p50 ${fixed.latencyMs.p50.toFixed(2)} ms, p99 ${fixed.latencyMs.p99.toFixed(2)} ms${repeats.length > 1 ? ` (median of ${repeats.length} runs' p99: ${row.fixedRepeatsP99Ms.join(', ')})` : ''}, errors ${row.errors}, load ${loadBefore} -> ${row.loadAfter}`,
    );
  } finally {
    await server.stop();
  }
}

const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
const ratio = (a, b) => (byId[a] && byId[b] ? +(byId[a].maxRequestsPerSecond / byId[b].maxRequestsPerSecond).toPrecision(3) : null);
const ratios = {
  ferryOverFlaskKb: ratio('ferry-kb', 'flask-kb'),
  ferryOverFlaskMix: ratio('ferry-mix', 'flask-mix'),
  ferryOverFlaskHealth: ratio('ferry-health', 'flask-health'),
  ferryKbOverFastifyHello: ratio('ferry-kb', 'fastify-hello'),
  ferryHealthOverFastifyHello: ratio('ferry-health', 'fastify-hello'),
};
const kb = byId['ferry-kb'];
const goals = {
  tenTimesFlask: ratios.ferryOverFlaskKb === null ? null : { goal: '>= 10x the Flask design on /api/chat', kb: ratios.ferryOverFlaskKb, mix: ratios.ferryOverFlaskMix, met: ratios.ferryOverFlaskKb >= 10 && (ratios.ferryOverFlaskMix ?? 10) >= 10 },
  kbP99Under50ms: kb ? { goal: 'p99 < 50 ms for a knowledge-base answer at 80% of max', p99Ms: +kb.fixed.latencyMs.p99.toFixed(2), met: kb.fixed.latencyMs.p99 < 50 } : null,
  zeroErrors: { goal: 'no non-2xx, no socket errors', errors: rows.reduce((s, r) => s + r.errors, 0), met: rows.every((r) => r.errors === 0) },
};

const fmt = (n) => (Number.isFinite(n) ? n.toFixed(n >= 100 ? 0 : 1) : '-');
console.log('\n| target | max req/s (best c) | fixed rate (80%) | answered/s | p50 ms | p99 ms | errors | load 1 min |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const r of rows) {
  const bound = r.fixed.behindSchedule ? ' (behind schedule)' : '';
  console.log(`| ${r.id} (${r.what}) | ${fmt(r.maxRequestsPerSecond)} (c=${r.maxAtConnections}) | ${r.fixed.targetRate} | ${fmt(r.fixed.achievedRate)}${bound} | ${r.fixed.latencyMs.p50.toFixed(2)} | ${r.fixed.latencyMs.p99.toFixed(2)} | ${r.errors} | ${r.loadBefore} -> ${r.loadAfter} |`);
}
console.log('\nratios (max req/s):', JSON.stringify(ratios));
console.log('goals:', JSON.stringify(goals));

mkdirSync(join(here, '..', 'results'), { recursive: true });
writeFileSync(
  join(here, '..', 'results', RESULTS),
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      node: process.version,
      python: execFileSync(PYTHON, ['-c', 'import flask, sys; print(sys.version.split()[0], flask.__version__)'], { encoding: 'utf8' }).trim(),
      wrk: spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0].trim(),
      uptimeAtStart,
      uptimeAtEnd: execFileSync('uptime', { encoding: 'utf8' }).trim(),
      loadSeconds: LOAD_SECONDS,
      probeSeconds: PROBE_SECONDS,
      probeConnections: PROBE_CONNECTIONS,
      fixedFractions: FIXED_FRACTIONS,
      repeats: REPEATS,
      warmSeconds: WARM_SECONDS,
      rows,
      ratios,
      goals,
    },
    null,
    2,
  )}\n`,
);
console.log(`results in bench/results/${RESULTS}`);
