import { existsSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { chromaPackage } from '../../../plugin-rag/src/stores/chroma-package.js';
import type { RunningApp } from './generated-app.test-helper.js';

/** Why `chroma run` cannot start here (the chromadb package or its CLI is missing), or undefined when it can. */
export function chromaUnavailable(): string | undefined {
  try {
    return existsSync(join(chromaPackage().dir, 'dist', 'cli.mjs')) ? undefined : 'the chromadb package has no dist/cli.mjs (chroma run)';
  } catch (error) {
    return `the chromadb package is not installed: ${(error as Error).message}`;
  }
}

/** A free loopback port (for servers that must come back on the same one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns a value (not undefined) or `timeoutMs` passes; the last error explains a timeout. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await delay(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** SIGKILL (a crash, an OOM kill, a node pulled) and the wait for the exit; a no-op on an app already gone. */
export async function killApp(app: RunningApp | undefined): Promise<void> {
  const child = app?.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

export function isAlive(app: RunningApp): boolean {
  return app.process.exitCode === null && app.process.signalCode === null;
}

export interface ChatResult {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** POST /api/chat; `status: 0` when the connection failed (app killed mid-request). */
export async function postChat(baseUrl: string, user_id: string, message: string): Promise<ChatResult> {
  try {
    const response = await fetch(`${baseUrl}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id, message }),
      signal: AbortSignal.timeout(20_000),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
  } catch {
    return { status: 0, body: {}, headers: new Headers() };
  }
}

export async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export interface RoundRobinProxy {
  url: string;
  /** Requests each upstream answered, by index. */
  answered: number[];
  /** Requests moved to another upstream because the chosen one could not be reached. */
  failovers: number;
  close(): Promise<void>;
}

/**
 * A small load balancer: each request goes to the next upstream in turn; if
 * that one refuses the connection or drops it before answering, the request
 * is replayed on the next one (as nginx's proxy_next_upstream does). The
 * answering upstream's index is in the `x-upstream` response header.
 */
export async function startRoundRobinProxy(upstreams: string[]): Promise<RoundRobinProxy> {
  let next = 0;
  const state = { answered: upstreams.map(() => 0), failovers: 0 };
  const forward = (index: number, method: string, path: string, headers: IncomingHttpHeaders, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const target = new URL(path, upstreams[index]);
      const req = httpRequest(target, { method, headers: { ...headers, host: target.host, connection: 'close' }, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('upstream timeout')));
      req.on('error', reject);
      req.end(body);
    });
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const first = next++ % upstreams.length;
    for (let tried = 0; tried < upstreams.length; tried++) {
      const index = (first + tried) % upstreams.length;
      try {
        const reply = await forward(index, req.method ?? 'GET', req.url ?? '/', req.headers, body);
        state.answered[index] = (state.answered[index] ?? 0) + 1;
        const headers = { ...reply.headers, 'x-upstream': String(index) };
        delete headers['transfer-encoding'];
        delete headers['connection'];
        res.writeHead(reply.status, headers).end(reply.body);
        return;
      } catch {
        state.failovers += 1;
      }
    }
    res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'NO_UPSTREAM', message: 'no replica answered' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get answered() {
      return state.answered;
    },
    get failovers() {
      return state.failovers;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
