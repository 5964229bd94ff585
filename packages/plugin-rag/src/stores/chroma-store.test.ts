import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFerryError } from '@ferry/core';
import { afterAll, describe, expect, it } from 'vitest';
import { connectChroma } from './chroma-store.js';
import { toChromaWhere } from './chroma-where.js';
import { startChromaServer, type ChromaServer } from './chroma-server.js';
import { describeVectorStoreConformance } from './vector-store-conformance.test-helper.js';

// A real server, the one the chromadb package ships, on a fresh folder and a free port.
let server: ChromaServer | undefined;
let unavailable: string | undefined;
try {
  server = await startChromaServer({ path: await mkdtemp(join(tmpdir(), 'ferry-chroma-')), port: 0 });
} catch (error) {
  unavailable = (error as Error).message;
  console.warn(`Chroma conformance skipped: the chroma server cannot start on this machine: ${unavailable}`);
}

afterAll(async () => {
  await server?.stop();
});

if (server !== undefined) {
  const url = server.url;
  describeVectorStoreConformance('chroma', () => connectChroma({ url }));

  describe('chroma store', () => {
    it('reports the server version it checked', async () => {
      const store = await connectChroma({ url });
      expect(store.serverVersion).toMatch(/^1\./);
      await store.close();
    });

    it('keeps data in the server across connections', async () => {
      let store = await connectChroma({ url });
      await (await store.collection('kept-across', { dims: 2 })).upsert([{ id: 'a', vector: Float32Array.from([1, 0]), text: 't', metadata: { n: 1 } }]);
      await store.close();
      store = await connectChroma({ url });
      const again = await store.collection('kept-across', { dims: 2 });
      expect(await again.get(['a'])).toEqual([{ id: 'a', vector: Float32Array.from([1, 0]), text: 't', metadata: { n: 1 } }]);
      await store.deleteCollection('kept-across');
      await store.close();
    });

    it('refuses calls after close', async () => {
      const store = await connectChroma({ url });
      await store.close();
      await expect(store.listCollections()).rejects.toThrow(/closed/);
    });
  });

  it('reports a killed server as unavailable and carries on once it is back on the same port and folder', async () => {
    const path = await mkdtemp(join(tmpdir(), 'ferry-chroma-'));
    let own = await startChromaServer({ path });
    const port = Number(new URL(own.url).port);
    try {
      const store = await connectChroma({ url: own.url });
      const collection = await store.collection('survives', { dims: 2 });
      await collection.upsert([{ id: 'a', vector: Float32Array.from([1, 0]), text: 't', metadata: {} }]);
      await own.kill();
      const error = await collection.query({ vector: Float32Array.from([1, 0]), k: 1 }).catch((e: unknown) => e);
      expect(isFerryError(error) && error.code).toBe('PROVIDER_HTTP_ERROR');
      expect(isFerryError(error) && error.details).toMatchObject({ unavailable: `the vector store (Chroma at ${own.url})` });
      expect((error as Error).message).toContain(`the Chroma server at ${own.url} cannot be reached`);
      own = await startChromaServer({ path, port });
      // Same store and collection objects: no reconnect, and the acknowledged record is still there.
      expect((await collection.query({ vector: Float32Array.from([1, 0]), k: 1 })).map((h) => h.id)).toEqual(['a']);
      await store.close();
    } finally {
      await own.stop();
    }
  }, 60_000);

  it('stops the server it started', async () => {
    const own = await startChromaServer({ path: await mkdtemp(join(tmpdir(), 'ferry-chroma-')) });
    expect((await fetch(`${own.url}/api/v2/heartbeat`)).ok).toBe(true);
    await own.stop();
    await expect(fetch(`${own.url}/api/v2/heartbeat`)).rejects.toThrow();
  }, 30_000);
} else {
  describe.skip(`chroma conformance (server unavailable: ${unavailable})`, () => {
    it('needs a Chroma server', () => undefined);
  });
}

describe('connectChroma errors', () => {
  it('names an unreachable server and how to start one', async () => {
    const error = await connectChroma({ url: 'http://127.0.0.1:9' }).catch((e: unknown) => e);
    expect(isFerryError(error) && error.code).toBe('PROVIDER_HTTP_ERROR');
    expect((error as Error).message).toMatch(/no Chroma server answers at http:\/\/127\.0\.0\.1:9/);
  });

  // Stand-ins for servers this client cannot talk to: one with only the 0.x API, one reporting a future major.
  for (const [label, handler, pattern] of [
    ['a server without /api/v2 (Chroma 0.x)', (path: string) => (path === '/api/v1/heartbeat' ? 200 : 404), /did not answer Chroma's \/api\/v2 heartbeat/],
    ['a Chroma 2.x server', () => 200, /Chroma server 2\.0\.0 .* is not supported by the chromadb 3\.\d+\.\d+ client/],
  ] as const) {
    it(`explains a version mismatch with ${label}`, async () => {
      const http = createServer((req, res) => {
        const status = handler(req.url ?? '');
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status !== 200 ? '{"error":"NotFound","message":"not found"}' : req.url?.endsWith('version') ? '"2.0.0"' : '{"nanosecond heartbeat": 1}');
      });
      await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
      const port = (http.address() as { port: number }).port;
      try {
        const error = await connectChroma({ url: `http://127.0.0.1:${port}` }).catch((e: unknown) => e);
        expect(isFerryError(error) && error.code).toBe('PROVIDER_BAD_RESPONSE');
        expect((error as Error).message).toMatch(pattern);
      } finally {
        http.close();
      }
    });
  }

  it('rejects a bad url', async () => {
    await expect(connectChroma({ url: 'not a url' })).rejects.toThrow(/url/);
  });

  it('gives up on a server that accepts but never answers, as unavailable, after timeoutMs', async () => {
    // Answers the connect handshake (heartbeat, version), then holds every other request open.
    const held: Array<() => void> = [];
    const http = createServer((req, res) => {
      if (req.url?.endsWith('/heartbeat') || req.url?.endsWith('/version')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(req.url.endsWith('version') ? '"1.0.0"' : '{"nanosecond heartbeat": 1}');
      } else held.push(() => res.destroy());
    });
    await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
    try {
      const store = await connectChroma({ url, timeoutMs: 200 });
      const started = performance.now();
      const error = await store.collection('stalled', { dims: 4 }).catch((e: unknown) => e);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(isFerryError(error) && error.code).toBe('PROVIDER_TIMEOUT');
      expect((error as Error).message).toContain(`Chroma server at ${url} did not answer within 200 ms`);
      expect(isFerryError(error) && error.details?.['unavailable']).toBe(`the vector store (Chroma at ${url})`);
      expect(held.length).toBeGreaterThan(0);
    } finally {
      for (const release of held) release();
      http.closeAllConnections();
      http.close();
    }
  });
});

describe('toChromaWhere', () => {
  it('splits several fields into $and and unwraps one-element lists', () => {
    expect(toChromaWhere({ a: 1, b: { $gt: 2 } })).toEqual({ $and: [{ a: 1 }, { b: { $gt: 2 } }] });
    expect(toChromaWhere({ $or: [{ a: 1 }] })).toEqual({ a: 1 });
    expect(toChromaWhere({ $or: [{ a: 1, c: true }, { b: { $in: ['x'] } }] })).toEqual({ $or: [{ $and: [{ a: 1 }, { c: true }] }, { b: { $in: ['x'] } }] });
  });
});
