import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real servers other packages' tests use, shared rather than copied.
import { startChromaServer, type ChromaServer } from '../../../plugin-rag/src/stores/chroma-server.js';
import { redisUnavailable, startRedis, type RunningRedis } from '../../../server/src/sessions/redis-server.test-helper.js';
import type { CreatedApp } from '../create-app.js';
import { inApp, scaffold, startApp, type RunningApp } from './generated-app.test-helper.js';
import { chromaUnavailable, getJson, isAlive, killApp, postChat, startRoundRobinProxy, waitFor, type RoundRobinProxy } from './processes.test-helper.js';

const skipReason = redisUnavailable() ?? chromaUnavailable();

interface Turn {
  role: string;
  content: string;
}

/**
 * Two replicas of the built app (separate processes, ports and data folders,
 * as on two machines) behind a round-robin proxy, sharing one redis-server
 * for sessions and one Chroma server for the knowledge base.
 */
describe.skipIf(skipReason !== undefined)(`customer-service scaled out to two replicas${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let app: CreatedApp;
  let work: string;
  let redis: RunningRedis;
  let chroma: ChromaServer;
  let replicas: RunningApp[] = [];
  let proxy: RoundRobinProxy;
  // One key for every replica: a turn one of them encrypted must open on the other.
  const sessionKey = randomBytes(32).toString('base64');

  const history = async (user: string): Promise<Turn[]> => ((await getJson(`${proxy.url}/api/history/${user}?last=1000`)).body['turns'] as Turn[]) ?? [];

  beforeAll(async () => {
    app = await scaffold('customer-service');
    work = await mkdtemp(join(tmpdir(), 'ferry-cs-scale-'));
    [redis, chroma] = await Promise.all([startRedis(), startChromaServer({ path: join(work, 'chroma') }), inApp(app, 'tsc', ['-p', 'tsconfig.build.json'])]);
    const env = (n: number) => ({
      FERRY_SESSION_KEY: sessionKey,
      FERRY_DATA_DIR: join(work, `replica-${n}`),
      FERRY_SESSION_STORE: 'redis',
      REDIS_URL: redis.url,
      CHROMA_URL: chroma.url,
    });
    // The first replica fills the empty Chroma collection with the shipped articles; the second finds it filled.
    replicas = [await startApp(app, env(0))];
    replicas.push(await startApp(app, env(1)));
    proxy = await startRoundRobinProxy(replicas.map((r) => r.url));
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
    for (const replica of replicas) await killApp(replica);
    await Promise.all([redis?.stop(), chroma?.stop()]);
    if (app) await rm(dirname(app.dir), { recursive: true, force: true });
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('continues one conversation across both replicas', async () => {
    const first = await postChat(proxy.url, 'dave', 'I forgot my passcode and cannot log in');
    const second = await postChat(proxy.url, 'dave', 'my email is dave.smith@example.com');
    // Round robin: the identity question was asked by one replica, the answer taken by the other from Redis.
    expect([first.headers.get('x-upstream'), second.headers.get('x-upstream')].sort()).toEqual(['0', '1']);
    expect(first.body).toMatchObject({ route: 'account', handoff: false });
    expect(second.body).toMatchObject({ route: 'account', intent: first.body['intent'], handoff: true });
    expect(second.body['response']).toContain('[EMAIL]');
    expect((await history('dave')).map((t) => t.role)).toEqual(['user', 'assistant', 'user', 'assistant']);

    // Both replicas answer from the one Chroma collection.
    for (let i = 0; i < 2; i++) {
      const technical = await postChat(proxy.url, `tech-${i}`, 'My top-up failed, what should I do?');
      expect(technical.body).toMatchObject({ route: 'technical', sources: [expect.objectContaining({ source: 'top-up-failed.md' })] });
    }
    expect(proxy.answered.every((n) => n >= 2)).toBe(true);
  }, 30_000);

  it('loses no acknowledged turn when one replica is killed mid-traffic', async () => {
    const users = ['s-alice', 's-bob', 's-carol', 's-dan'];
    const messages = ['I was charged twice for the same coffee', 'How long does a transfer take?', 'My card payment was declined', 'My top-up failed, what should I do?'];
    const acknowledged = new Map<string, Array<{ message: string; response: string }>>(users.map((u) => [u, []]));
    const statuses: number[] = [];
    let total = 0;
    let stopAt = Number.POSITIVE_INFINITY;
    const conversations = users.map(async (user, u) => {
      for (let i = 0; total < stopAt; i++) {
        const message = `${messages[(i + u) % messages.length]} (case ${i})`;
        const reply = await postChat(proxy.url, user, message);
        statuses.push(reply.status);
        if (reply.status !== 200) continue;
        acknowledged.get(user)!.push({ message, response: String(reply.body['response']) });
        total += 1;
      }
    });
    await waitFor('traffic through both replicas', async () => (total >= 12 ? true : undefined), 30_000, 5);
    const victim = replicas[1]!;
    await killApp(victim);
    stopAt = total + 16;
    await Promise.all(conversations);

    // Every request was answered: the proxy moved the ones the dead replica could not take to the live one.
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(proxy.failovers).toBeGreaterThan(0);
    expect(isAlive(victim)).toBe(false);
    expect(isAlive(replicas[0]!)).toBe(true);
    for (const user of users) {
      const turns = await history(user);
      const pairs = turns.flatMap((t, i) => (t.role === 'user' && turns[i + 1]?.role === 'assistant' ? [{ message: t.content, response: turns[i + 1]!.content }] : []));
      for (const turn of acknowledged.get(user)!) expect(pairs).toContainEqual(turn);
      // In the order they were acknowledged.
      const order = acknowledged.get(user)!.map((a) => pairs.findIndex((p) => p.message === a.message && p.response === a.response));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  }, 60_000);
});
