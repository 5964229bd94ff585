import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FerryHost } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { createFerryServer } from './create-ferry-server.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('graceful shutdown', () => {
  it('finishes a request in flight while close() is pending, refuses new ones, then disposes the host', async () => {
    const events: string[] = [];
    const host = await FerryHost.start({ config: { models: { embedder: 'offline:hash-64' } } });
    const dispose = host.dispose.bind(host);
    host.dispose = async () => {
      events.push('host disposed');
      await dispose();
    };
    const server = await createFerryServer({ host, auth: false, logger: false, handleSignals: false });
    let release!: () => void;
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    server.fastify.get('/slow', async (_request, reply) => {
      reply.raw.once('finish', () => events.push('slow response sent'));
      entered();
      await new Promise<void>((resolve) => (release = resolve));
      return { done: true };
    });
    const url = await server.listen();

    const slow = fetch(`${url}/slow`).then(async (res) => ({ status: res.status, body: await res.json() }));
    await inHandler;
    const closing = server.close().then(() => events.push('closed'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.closing).toBe(true);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    expect(events).toEqual([]);

    release();
    expect(await slow).toEqual({ status: 200, body: { done: true } });
    await closing;
    expect(events).toEqual(['slow response sent', 'host disposed', 'closed']);
  });

  it('on SIGTERM lets the request in flight finish, then exits 0', async () => {
    expect(existsSync(join(here, '..', 'dist', 'index.js')), 'this test runs the built package: npx tsc -b packages/server').toBe(true);
    const child = spawn(process.execPath, [join(here, 'fixtures', 'sigterm-server.mjs')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const waitFor = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => (out.includes(text) ? resolve() : undefined);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          check();
        });
        child.once('exit', () => reject(new Error(`child exited before "${text}": ${err}`)));
        check();
      });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitFor('http://');
    const url = out.split('\n')[0]!;
    const slow = fetch(`${url}/slow`).then((res) => res.json());
    await waitFor('entered');
    child.kill('SIGTERM');
    expect(await slow).toEqual({ done: true });
    expect(await exited).toBe(0);
    expect(out).toContain('closed');
  });
});
