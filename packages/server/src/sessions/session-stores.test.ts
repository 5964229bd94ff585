import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from './memory-session-store.js';
import { RedisSessionStore } from './redis-session-store.js';
import { redisUnavailable, startRedis, type RunningRedis } from './redis-server.test-helper.js';
import { SessionCipher } from './session-cipher.js';
import type { SessionStore } from './session-store.js';
import { SqliteSessionStore } from './sqlite-session-store.js';

const KEY_1 = Buffer.alloc(32, 1).toString('base64');
const KEY_2 = Buffer.alloc(32, 2).toString('hex');
const cipher = new SessionCipher({ keys: [{ id: 'k1', key: KEY_1 }] });
const tempDir = () => mkdtempSync(join(tmpdir(), 'ferry-sessions-'));

function contract(name: string, open: () => Promise<SessionStore>) {
  describe(`${name} session store`, () => {
    it('appends turns and returns the last N oldest first', async () => {
      const store = await open();
      for (let i = 1; i <= 5; i++) await store.append('user-1', { role: i % 2 ? 'user' : 'assistant', content: `turn ${i}` });
      await store.append('user-2', { role: 'user', content: 'other user' });
      expect((await store.history('user-1', 3)).map((t) => t.content)).toEqual(['turn 3', 'turn 4', 'turn 5']);
      expect(await store.history('user-1', 0)).toEqual([]);
      const session = await store.get('user-1');
      expect(session?.turns).toHaveLength(5);
      expect(session?.turns[0]).toMatchObject({ role: 'user', content: 'turn 1', at: expect.stringMatching(/^\d{4}-/) });
      await store.clear('user-1');
      expect(await store.get('user-1')).toBeUndefined();
      expect(await store.history('user-2', 10)).toHaveLength(1);
      await store.close();
    });

    it('refuses bad session ids and turns, naming the field', async () => {
      const store = await open();
      await expect(store.append('../etc/passwd', { role: 'user', content: 'x' })).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'sessionId' });
      await expect(store.append('ok', { role: 'robot' as never, content: 'x' })).rejects.toMatchObject({ field: 'turn.role' });
      await expect(store.history('ok', -1)).rejects.toMatchObject({ field: 'lastN' });
      await store.close();
    });
  });
}

contract('memory', async () => new MemorySessionStore());
contract('sqlite', async () => new SqliteSessionStore(join(tempDir(), 'sessions.db'), cipher));

describe('MemorySessionStore bounds', () => {
  it('keeps the newest turns of a session and the most recently used sessions', async () => {
    const store = new MemorySessionStore({ maxTurns: 3, maxSessions: 2 });
    for (let i = 1; i <= 5; i++) await store.append('a', { role: 'user', content: `a${i}` });
    expect((await store.history('a', 10)).map((t) => t.content)).toEqual(['a3', 'a4', 'a5']);
    await store.append('b', { role: 'user', content: 'b1' });
    // a is used again, so b is now the least recently used and goes when c arrives.
    await store.append('a', { role: 'user', content: 'a6' });
    await store.append('c', { role: 'user', content: 'c1' });
    expect(await store.get('b')).toBeUndefined();
    expect((await store.history('a', 10)).map((t) => t.content)).toEqual(['a4', 'a5', 'a6']);
    expect((await store.history('c', 10)).map((t) => t.content)).toEqual(['c1']);
  });
});

describe('SqliteSessionStore on disk', () => {
  it('survives closing and reopening, and keeps only ciphertext at rest', async () => {
    const path = join(tempDir(), 'sessions.db');
    const first = new SqliteSessionStore(path, cipher);
    await first.append('alice', { role: 'user', content: 'my card is 4111 1111 1111 1111', metadata: { intent: 'billing' } });
    await first.close();
    const again = new SqliteSessionStore(path, cipher);
    expect(await again.history('alice', 5)).toMatchObject([{ role: 'user', content: 'my card is 4111 1111 1111 1111', metadata: { intent: 'billing' } }]);
    await again.close();
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT payload FROM session_turns').all() as Array<{ payload: string }>;
    db.close();
    expect(rows[0]?.payload).toMatch(/^v1\.k1\./);
    for (const file of [path, `${path}-wal`]) {
      try {
        expect(readFileSync(file).toString('latin1')).not.toContain('4111');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  });

  it('reads old records after a key rotation and writes new ones with the new key', async () => {
    const path = join(tempDir(), 'sessions.db');
    const old = new SqliteSessionStore(path, cipher);
    await old.append('bob', { role: 'user', content: 'before rotation' });
    await old.close();
    const rotated = new SqliteSessionStore(path, new SessionCipher({ keys: [{ id: 'k2', key: KEY_2 }, { id: 'k1', key: KEY_1 }] }));
    await rotated.append('bob', { role: 'assistant', content: 'after rotation' });
    expect((await rotated.history('bob', 10)).map((t) => t.content)).toEqual(['before rotation', 'after rotation']);
    await rotated.close();
    const db = new Database(path, { readonly: true });
    const ids = (db.prepare('SELECT payload FROM session_turns ORDER BY seq').all() as Array<{ payload: string }>).map((r) => r.payload.split('.')[1]);
    db.close();
    expect(ids).toEqual(['k1', 'k2']);
    const withoutOld = new SqliteSessionStore(path, new SessionCipher({ keys: [{ id: 'k2', key: KEY_2 }] }));
    await expect(withoutOld.history('bob', 10)).rejects.toMatchObject({ code: 'CONFIG_INVALID', field: 'sessions.encryption.keys' });
    await withoutOld.close();
  });

  it('detects a record edited or moved to another session', async () => {
    const path = join(tempDir(), 'sessions.db');
    const store = new SqliteSessionStore(path, cipher);
    await store.append('carol', { role: 'user', content: 'secret plan' });
    await store.close();
    const db = new Database(path);
    db.prepare("UPDATE session_turns SET session_id = 'mallory'").run();
    db.close();
    const reopened = new SqliteSessionStore(path, cipher);
    await expect(reopened.history('mallory', 1)).rejects.toThrow(/failed authentication/);
    await reopened.close();
  });
});

describe('SessionCipher', () => {
  it('rejects keys of the wrong size, naming the field', () => {
    expect(() => new SessionCipher({ keys: [{ id: 'k1', key: Buffer.alloc(16).toString('base64') }] })).toThrow(/sessions\.encryption\.keys\[0\]\.key/);
  });

  it('reads keys from the environment, newest first', () => {
    const c = SessionCipher.fromEnv({ FERRY_SESSION_KEYS: `k2:${KEY_2},k1:${KEY_1}` });
    expect(c?.activeKeyId).toBe('k2');
    const old = cipher.encrypt('hello', 's');
    expect(c?.decrypt(old, 's')).toBe('hello');
    expect(SessionCipher.fromEnv({})).toBeUndefined();
    expect(SessionCipher.fromEnv({ FERRY_SESSION_KEY: KEY_1 })?.activeKeyId).toBe('k1');
  });
});

const noRedis = redisUnavailable();
describe.skipIf(noRedis !== undefined)(`RedisSessionStore against a real redis-server${noRedis ? ` (skipped: ${noRedis})` : ''}`, () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  contract('redis', async () => new RedisSessionStore({ url: redis.url, prefix: `t${Math.random()}:` }, cipher).connect());

  it('shares sessions between two clients (two replicas) and stores only ciphertext', async () => {
    const a = await new RedisSessionStore({ url: redis.url, prefix: 'shared:' }, cipher).connect();
    const b = await new RedisSessionStore({ url: redis.url, prefix: 'shared:' }, cipher).connect();
    await a.append('dave', { role: 'user', content: 'hello from replica a' });
    await b.append('dave', { role: 'assistant', content: 'answer from replica b' });
    expect((await a.history('dave', 5)).map((t) => t.content)).toEqual(['hello from replica a', 'answer from replica b']);
    const { Redis } = await import('ioredis');
    const raw = new Redis(redis.url);
    const stored = await raw.lrange('shared:dave', 0, -1);
    await raw.quit();
    expect(stored.join()).not.toContain('replica');
    await a.close();
    await b.close();
  });

  it('fails fast with a clear error while Redis is down, and recovers when it returns', async () => {
    const own = await startRedis();
    const store = await new RedisSessionStore({ url: own.url, commandTimeoutMs: 500 }, cipher).connect();
    await store.append('erin', { role: 'user', content: 'one' });
    await own.stop();
    await expect(store.append('erin', { role: 'user', content: 'two' })).rejects.toMatchObject({
      code: 'PROVIDER_HTTP_ERROR',
      field: 'sessions.url',
      details: { store: 'redis' },
    });
    await expect(store.ping()).rejects.toThrow(/Redis session store/);
    const back = await startRedis(own.port);
    await expect.poll(() => store.ping().then(() => true, () => false), { timeout: 5000 }).toBe(true);
    await store.append('erin', { role: 'user', content: 'three' });
    expect((await store.history('erin', 5)).map((t) => t.content)).toEqual(['three']);
    await store.close();
    await back.stop();
  });

  it('refuses to start against an address where nothing listens', async () => {
    await expect(new RedisSessionStore({ url: 'redis://127.0.0.1:1' }, cipher).connect()).rejects.toMatchObject({ field: 'sessions.url' });
  });
});
