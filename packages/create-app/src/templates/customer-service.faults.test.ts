import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real servers and fakes other packages' tests use, shared rather than copied.
import {
  chatCompletionBody,
  sendJson,
  startFakeOpenAIServer,
  type FakeOpenAIServer,
} from '../../../core/src/providers/openai/openai-fake-server.test-helper.js';
import { startChromaServer, type ChromaServer } from '../../../plugin-rag/src/stores/chroma-server.js';
import { openEmbeddedStore } from '../../../plugin-rag/src/stores/embedded-store.js';
import { redisUnavailable, startRedis, type RunningRedis } from '../../../server/src/sessions/redis-server.test-helper.js';
import type { CreatedApp } from '../create-app.js';
import { inApp, scaffold, startApp, type RunningApp } from './generated-app.test-helper.js';
import { chromaUnavailable, freePort, getJson, isAlive, killApp, postChat, waitFor } from './processes.test-helper.js';

const TECHNICAL = 'My top-up failed, what should I do?';
const BILLING = 'I was charged twice for the same coffee';
const MODEL_ANSWER = 'Check your card details and try the top-up again [1].';

const skipReason = redisUnavailable() ?? chromaUnavailable();

describe.skipIf(skipReason !== undefined)(`customer-service app under faults, with real processes${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const sessionKey = randomBytes(32).toString('base64');
  let app: CreatedApp;
  let work: string;
  const started: RunningApp[] = [];
  const start = async (env: NodeJS.ProcessEnv) => {
    const running = await startApp(app, { FERRY_SESSION_KEY: sessionKey, LOG_LEVEL: 'warn', ...env });
    started.push(running);
    return running;
  };

  beforeAll(async () => {
    app = await scaffold('customer-service');
    work = await mkdtemp(join(tmpdir(), 'ferry-cs-faults-'));
    await inApp(app, 'tsc', ['-p', 'tsconfig.build.json']);
  }, 120_000);

  afterAll(async () => {
    for (const running of started) await killApp(running);
    if (app) await rm(dirname(app.dir), { recursive: true, force: true });
    if (work) await rm(work, { recursive: true, force: true });
  });

  describe('with Chroma, Redis and an OpenAI-compatible model server', () => {
    let redis: RunningRedis;
    let chroma: ChromaServer;
    let chromaPort: number;
    let chromaDir: string;
    let model: FakeOpenAIServer;
    let modelMode: 'ok' | 'slow' | 'down' = 'ok';
    let running: RunningApp;
    const modelCalls = () => model.count('/chat/completions');

    beforeAll(async () => {
      chromaDir = join(work, 'chroma');
      chromaPort = await freePort();
      [redis, chroma, model] = await Promise.all([
        startRedis(),
        startChromaServer({ path: chromaDir, port: chromaPort }),
        startFakeOpenAIServer({
          '/chat/completions': async (_request, res: ServerResponse) => {
            if (modelMode === 'down') return sendJson(res, 500, { error: { message: 'model worker crashed' } });
            if (modelMode === 'slow') await delay(10_000);
            sendJson(res, 200, chatCompletionBody(MODEL_ANSWER));
          },
        }),
      ]);
      running = await start({
        FERRY_DATA_DIR: join(work, 'replica'),
        CHROMA_URL: chroma.url,
        FERRY_SESSION_STORE: 'redis',
        REDIS_URL: redis.url,
        FERRY_GENERATOR: 'openai:support-model',
        OPENAI_BASE_URL: model.baseURL,
        // Per attempt 400 ms, one retry, the whole answer 3 s; two failures in a row open the breaker for 3 s.
        FERRY_MODEL_TIMEOUT_MS: '400',
        FERRY_MODEL_RETRIES: '1',
        FERRY_GENERATOR_TIMEOUT_MS: '3000',
        FERRY_BREAKER_FAILURES: '2',
        FERRY_BREAKER_COOLDOWN_MS: '3000',
      });
    }, 60_000);

    afterAll(async () => {
      await killApp(running);
      await Promise.all([redis?.stop(), chroma?.stop(), model?.close()]);
    });

    it('answers 503 naming the vector store while Chroma is killed, then recovers by itself when it is back', async () => {
      const ok = await postChat(running.url, 'kb-1', TECHNICAL);
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ route: 'technical', response: MODEL_ANSWER, sources: [expect.objectContaining({ source: 'top-up-failed.md' })] });

      // Steady traffic from three users while the server dies and comes back.
      const statuses: number[] = [];
      let flowing = true;
      const traffic = (async () => {
        for (let i = 0; flowing; i++) {
          statuses.push((await postChat(running.url, `kb-traffic-${i % 3}`, TECHNICAL)).status);
          await delay(25);
        }
      })();
      await waitFor('traffic', async () => (statuses.length >= 3 ? true : undefined));

      await chroma.kill();
      const down = await waitFor('a 503 from the app', async () => {
        const reply = await postChat(running.url, 'kb-2', TECHNICAL);
        return reply.status === 503 ? reply : undefined;
      });
      expect(down.body['error']).toMatchObject({
        code: 'DEPENDENCY_UNAVAILABLE',
        message: expect.stringContaining(`the vector store is unavailable: the Chroma server at ${chroma.url} cannot be reached`),
      });
      expect(down.headers.get('retry-after')).toBe('1');
      // Requests that do not need the knowledge base are still served.
      expect((await postChat(running.url, 'kb-3', BILLING)).status).toBe(200);
      const notReady = await getJson(`${running.url}/ready`);
      expect(notReady.status).toBe(503);
      expect(notReady.body['checks']).toContainEqual(expect.objectContaining({ name: 'knowledge-base', ok: false, reason: expect.stringContaining('Chroma') }));
      expect(isAlive(running)).toBe(true);

      chroma = await startChromaServer({ path: chromaDir, port: chromaPort });
      const back = await waitFor('the app to answer from the knowledge base again', async () => {
        const reply = await postChat(running.url, 'kb-4', TECHNICAL);
        return reply.status === 200 ? reply : undefined;
      });
      expect(back.body['sources']).toEqual([expect.objectContaining({ source: 'top-up-failed.md' })]);
      expect((await getJson(`${running.url}/ready`)).status).toBe(200);
      flowing = false;
      await traffic;
      // Only answers and clean refusals: no 500, no dropped connection (0), and the same process throughout.
      expect(statuses.length).toBeGreaterThan(3);
      expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
      expect(statuses).toContain(200);
      expect(isAlive(running)).toBe(true);
    }, 60_000);

    it('times out a slow model, opens the breaker when it is down, answers extractively meanwhile, and closes again', async () => {
      const before = modelCalls();
      expect((await postChat(running.url, 'm-1', TECHNICAL)).body).toMatchObject({ response: MODEL_ANSWER });
      expect(modelCalls()).toBe(before + 1);

      // Slow: each attempt is cut at 400 ms and retried once, then the extractive answer stands in.
      modelMode = 'slow';
      const slow = await postChat(running.url, 'm-2', TECHNICAL);
      expect(slow.status).toBe(200);
      expect(slow.body).toMatchObject({ route: 'technical', degraded: true, sources: [expect.objectContaining({ source: 'top-up-failed.md' })] });
      expect(slow.body['response']).not.toBe(MODEL_ANSWER);
      expect(slow.body['response']).toMatch(/\[1\]/);
      expect(modelCalls()).toBe(before + 3);
      expect(running.output()).toMatch(/answer degraded.*did not answer within 400 ms after 2 attempts/);

      // Down: the second failure in a row opens the breaker.
      modelMode = 'down';
      expect((await postChat(running.url, 'm-3', TECHNICAL)).body).toMatchObject({ degraded: true });
      expect(modelCalls()).toBe(before + 5);
      // Open: answered at once, and the endpoint is not called at all.
      for (const user of ['m-4', 'm-5']) expect((await postChat(running.url, user, TECHNICAL)).body).toMatchObject({ degraded: true });
      expect(modelCalls()).toBe(before + 5);
      expect(running.output()).toMatch(/answer degraded.*circuit breaker opened after 2 consecutive failures/);

      // Back: after the cooldown one trial call passes (half-open), succeeds, and the breaker closes.
      modelMode = 'ok';
      await delay(3_100);
      const trial = await postChat(running.url, 'm-6', TECHNICAL);
      expect(trial.body).toMatchObject({ response: MODEL_ANSWER });
      expect(trial.body['degraded']).toBeUndefined();
      expect(modelCalls()).toBe(before + 6);
      expect((await postChat(running.url, 'm-7', TECHNICAL)).body).toMatchObject({ response: MODEL_ANSWER });
      expect(modelCalls()).toBe(before + 7);
    }, 60_000);

    it('answers 503 naming the session store while Redis is killed, and serves again once it restarts', async () => {
      expect((await postChat(running.url, 'r-1', BILLING)).status).toBe(200);
      await redis.kill();
      const down = await postChat(running.url, 'r-2', BILLING);
      expect(down.status).toBe(503);
      expect(down.body['error']).toMatchObject({ code: 'SESSION_STORE_UNAVAILABLE', message: expect.stringContaining('Redis session store') });
      const notReady = await getJson(`${running.url}/ready`);
      expect(notReady.status).toBe(503);
      expect(notReady.body['checks']).toContainEqual(expect.objectContaining({ name: 'sessions:redis', ok: false }));
      expect(isAlive(running)).toBe(true);

      redis = await startRedis(redis.port);
      const back = await waitFor('the app to reach Redis again', async () => {
        const reply = await postChat(running.url, 'r-3', BILLING);
        return reply.status === 200 ? reply : undefined;
      });
      expect(back.body).toMatchObject({ route: 'billing' });
      const history = await getJson(`${running.url}/api/history/r-3`);
      expect((history.body['turns'] as unknown[]).length).toBeGreaterThanOrEqual(2);
      expect((await getJson(`${running.url}/ready`)).status).toBe(200);
      expect(isAlive(running)).toBe(true);
    }, 60_000);
  });

  describe('Chroma not up yet when the app starts', () => {
    it('starts not ready, answers 503 for knowledge-base questions, and seeds itself once Chroma comes up', async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const late = await start({ FERRY_DATA_DIR: join(work, 'late-chroma-app'), CHROMA_URL: url, FERRY_SESSION_STORE: 'memory' });
      let chroma: ChromaServer | undefined;
      try {
        const notReady = await getJson(`${late.url}/ready`);
        expect(notReady.status).toBe(503);
        expect(notReady.body['checks']).toContainEqual(expect.objectContaining({ name: 'knowledge-base', ok: false, reason: expect.stringContaining('Chroma') }));
        const down = await postChat(late.url, 'late-1', TECHNICAL);
        expect(down.status).toBe(503);
        expect(down.body['error']).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
        expect((await postChat(late.url, 'late-2', BILLING)).status).toBe(200);

        chroma = await startChromaServer({ path: join(work, 'late-chroma'), port });
        // Seeded by the app itself (the store was empty): the shipped article answers.
        const answered = await waitFor(
          'the app to seed the knowledge base and answer from it',
          async () => {
            const reply = await postChat(late.url, 'late-3', TECHNICAL);
            return reply.status === 200 && (reply.body['sources'] as unknown[] | undefined)?.length ? reply : undefined;
          },
          40_000,
          250,
        );
        expect(answered.body['sources']).toEqual([expect.objectContaining({ source: 'top-up-failed.md' })]);
        expect((await getJson(`${late.url}/ready`)).status).toBe(200);
        expect(isAlive(late)).toBe(true);
      } finally {
        await killApp(late);
        await chroma?.stop();
      }
    }, 90_000);
  });

  describe('kill -9 of the app (SQLite sessions, embedded store)', () => {
    it('keeps every acknowledged turn of conversations in flight', async () => {
      const dataDir = join(work, 'kill-chat');
      const env = { FERRY_DATA_DIR: dataDir, FERRY_SESSION_STORE: 'sqlite' };
      let running = await start(env);
      expect((await getJson(`${running.url}/ready`)).status).toBe(200);

      const acknowledged = new Map<string, Array<{ message: string; response: string }>>();
      const messages = [BILLING, TECHNICAL, 'How long does a transfer take?', 'My card payment was declined'];
      let total = 0;
      const users = ['k-alice', 'k-bob', 'k-carol'];
      const conversations = users.map(async (user, u) => {
        acknowledged.set(user, []);
        for (let i = 0; ; i++) {
          const message = `${messages[(i + u) % messages.length]} (case ${i})`;
          const reply = await postChat(running.url, user, message);
          if (reply.status !== 200) return reply.status;
          acknowledged.get(user)!.push({ message, response: String(reply.body['response']) });
          total += 1;
        }
      });
      await waitFor('acknowledged turns', async () => (total >= 12 ? true : undefined), 30_000, 5);
      await killApp(running);
      // Every conversation ends on a dropped connection, none on an error answer.
      expect(await Promise.all(conversations)).toEqual([0, 0, 0]);

      running = await start(env);
      for (const user of users) {
        const turns = ((await getJson(`${running.url}/api/history/${user}?last=1000`)).body['turns'] as Array<{ role: string; content: string }>) ?? [];
        const pairs = turns.flatMap((t, i) => (t.role === 'user' && turns[i + 1]?.role === 'assistant' ? [{ message: t.content, response: turns[i + 1]!.content }] : []));
        for (const turn of acknowledged.get(user)!) expect(pairs).toContainEqual(turn);
      }
      await killApp(running);
    }, 60_000);

    it('opens the embedded store after a kill in mid-ingest with every committed chunk, and a re-ingest duplicates none', async () => {
      const dataDir = join(work, 'kill-ingest');
      const docs = join(work, 'ingest-docs');
      await mkdir(docs, { recursive: true });
      // Enough articles that the ingest commits several batches before it is killed.
      for (let i = 0; i < 300; i++) {
        const paragraphs = Array.from({ length: 6 }, (_, p) => `Section ${p} of article ${i}: ${words(i * 7 + p, 60)}.`);
        await writeFile(join(docs, `article-${String(i).padStart(3, '0')}.md`), `# Article ${i}\n\n${paragraphs.join('\n\n')}\n`);
      }
      const env = { ...process.env, FERRY_DATA_DIR: dataDir, FERRY_LOG_LEVEL: 'warn' };
      const manifestPath = join(dataDir, 'store', 'state', 'knowledge-base.manifest.json');
      const child = spawn(process.execPath, ['dist/ingest.js', docs], { cwd: app.dir, env, stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
      let committed: Record<string, { chunkIds: string[] }>;
      try {
        committed = await waitFor('the first committed batch', async () => manifestFiles(manifestPath), 60_000, 5);
      } finally {
        child.kill('SIGKILL');
      }
      // Killed, not finished: the kill landed in mid-ingest.
      expect(await exited).toBe('SIGKILL');

      const afterKill = await manifestFiles(manifestPath);
      expect(afterKill).toBeDefined();
      const vouched = Object.values(afterKill!).flatMap((f) => f.chunkIds);
      expect(Object.keys(committed).length).toBeGreaterThan(0);
      expect(Object.keys(afterKill!).length).toBeLessThan(300);
      const storeDir = join(dataDir, 'store', 'vectors');
      const idsAfterKill = await storedIds(storeDir);
      for (const id of vouched) expect(idsAfterKill).toContain(id);

      const report = await inApp(app, 'node', ['dist/ingest.js', docs], { FERRY_DATA_DIR: dataDir, FERRY_LOG_LEVEL: 'warn' });
      const totalChunks = Number(/; (\d+) chunks/.exec(report)?.[1]);
      const ids = await storedIds(storeDir);
      expect(ids.length).toBe(totalChunks);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of vouched) expect(ids).toContain(id);
      const finalManifest = await manifestFiles(manifestPath);
      expect(Object.keys(finalManifest!)).toHaveLength(300);
      expect(new Set(Object.values(finalManifest!).flatMap((f) => f.chunkIds))).toEqual(new Set(ids));

      const again = await inApp(app, 'node', ['dist/ingest.js', docs], { FERRY_DATA_DIR: dataDir, FERRY_LOG_LEVEL: 'warn' });
      expect(again).toContain('ingested: 0 added, 0 updated, 0 removed, 300 unchanged');
      expect((await storedIds(storeDir)).length).toBe(totalChunks);
    }, 90_000);
  });
});

/** The manifest's files once it exists and vouches for at least one, else undefined. */
async function manifestFiles(path: string): Promise<Record<string, { chunkIds: string[] }> | undefined> {
  if (!existsSync(path)) return undefined;
  const files = (JSON.parse(await readFile(path, 'utf8')) as { files: Record<string, { chunkIds: string[] }> }).files;
  return Object.keys(files).length > 0 ? files : undefined;
}

/** Every id in the app's embedded store, opened the way the app opens it (after a crash, too). */
async function storedIds(dir: string): Promise<string[]> {
  const store = await openEmbeddedStore(dir);
  try {
    return await (await store.collection('knowledge-base', { dims: 384 })).listIds();
  } finally {
    await store.close();
  }
}

const VOCABULARY = ['card', 'transfer', 'limit', 'account', 'branch', 'statement', 'currency', 'refund', 'deposit', 'fee', 'balance', 'payee', 'mortgage', 'savings', 'interest', 'cheque'];

/** Deterministic filler text that differs from article to article. */
function words(seed: number, n: number): string {
  let x = seed + 1;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return VOCABULARY[x % VOCABULARY.length];
  }).join(' ');
}
