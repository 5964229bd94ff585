import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { FerryError, fromZodError } from '@ferry/core';
import { z } from 'zod';
import { chromaPackage } from './chroma-package.js';

const optionsSchema = z
  .object({
    /** Folder where the server keeps its data; created when missing. */
    path: z.string().min(1),
    /** 0 picks a free port. */
    port: z.number().int().min(0).max(65_535).default(0),
    host: z.string().min(1).default('localhost'),
    startTimeoutMs: z.number().int().positive().default(30_000),
  })
  .strict();

export type ChromaServerOptions = z.input<typeof optionsSchema>;

export interface ChromaServer {
  url: string;
  /** Stops the server (SIGINT, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills it at once (SIGKILL, as a crash or an OOM kill would) and waits for it to exit. */
  kill(): Promise<void>;
}

/**
 * Runs `chroma run` from the installed chromadb package (the Rust server in
 * its native bindings) and resolves once its heartbeat answers. The server
 * is killed when this process exits, should `stop()` not have been called.
 */
export async function startChromaServer(options: ChromaServerOptions): Promise<ChromaServer> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what: 'Chroma server options', fieldPrefix: 'options', hint: 'Pass { path, port? }.' });
  const { host, startTimeoutMs } = parsed.data;
  const path = resolve(parsed.data.path);
  await mkdir(path, { recursive: true });
  const port = parsed.data.port === 0 ? await freePort(host) : parsed.data.port;
  const cli = join(chromaPackage().dir, 'dist', 'cli.mjs');
  const child = spawn(process.execPath, [cli, 'run', '--path', path, '--host', host, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = `http://${host}:${port}`;
  try {
    await waitForHeartbeat(url, child, exited, startTimeoutMs, () => output);
  } catch (error) {
    process.removeListener('exit', killOnExit);
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    url,
    stop: () =>
      (stopping ??= (async () => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      })()),
    kill: async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

async function waitForHeartbeat(url: string, child: ChildProcess, exited: Promise<number | null>, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) {
      throw new FerryError('PROVIDER_HTTP_ERROR', `chroma run exited with code ${child.exitCode ?? child.signalCode} before answering:\n${tail(output())}`, {
        field: 'chroma',
        hint: 'Read the server output above: a port already in use, an unwritable --path, or server bindings that need a newer glibc (see DEVELOPERS.md for the pin).',
      });
    }
    try {
      const response = await fetch(`${url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new FerryError('PROVIDER_TIMEOUT', `chroma run did not answer ${url}/api/v2/heartbeat within ${timeoutMs} ms:\n${tail(output())}`, {
    field: 'chroma',
    hint: 'Give it longer with startTimeoutMs, or run the server by hand to see why it hangs.',
  });
}

function tail(text: string): string {
  // The banner is ANSI art; the last lines say what went wrong.
  return text.replace(/\x1b\[[0-9;]*m/g, '').trim().split('\n').slice(-12).join('\n');
}

function freePort(host: string): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}
