// wrk for the GET routes (C, one thread, so it takes one core and leaves the
// other to the server under test): closed-loop maximum-throughput probes, and
// runs paced to a rate (paced.lua).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { track } from './processes.mjs';

const here = import.meta.dirname;

/** Milliseconds from wrk's "1.23ms" / "456.00us" / "1.02s". */
function ms(text) {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!m) return NaN;
  return Number(m[1]) * { us: 0.001, ms: 1, s: 1000, m: 60_000 }[m[2]];
}

export function parseWrk(out) {
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const requests = /(\d+) requests in ([\d.]+)(\w+)/.exec(out);
  return {
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    requests: Number(requests?.[1] ?? NaN),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    socketErrors: socket ? socket.slice(1).reduce((s, n) => s + Number(n), 0) : 0,
    latencyMs: {
      p50: ms(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? ''),
      p99: ms(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? ''),
    },
  };
}

/** Runs wrk against GET url+path for `seconds` with `connections`; with `rate`, paced to about that many requests/s. */
export function runWrk({ url, path, connections, seconds, rate }) {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '--latency'];
  const env = { ...process.env };
  if (rate !== undefined) {
    args.push('-s', join(here, 'paced.lua'));
    env.WRK_DELAY_MS = String(Math.max(1, Math.round((connections * 1000) / rate)));
  }
  args.push(url + path);
  return new Promise((resolve, reject) => {
    const child = track(spawn('wrk', args, { env, stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`wrk ${args.join(' ')} exited with ${code}:\n${out}`));
      else resolve({ connections, seconds, ...parseWrk(out) });
    });
  });
}
