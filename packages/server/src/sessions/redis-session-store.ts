import { FerryError } from '@ferry/core';
import { Redis } from 'ioredis';
import { closeRedis } from '../close-redis.js';
import type { SessionCipher } from './session-cipher.js';
import { checkLastN, checkSessionId, normalizeTurn, type Session, type SessionStore, type SessionTurn, type SessionTurnInput } from './session-store.js';

export interface RedisSessionStoreOptions {
  /** `redis://host:port/db`. */
  url: string;
  /** Key prefix, so several apps can share one Redis. */
  prefix?: string;
  /** Sessions idle this long expire (seconds); never when absent. */
  ttlSeconds?: number;
  /** Fail a command after this long instead of queueing while Redis is down. */
  commandTimeoutMs?: number;
}

/**
 * Sessions in Redis lists, one encrypted element per turn, so several app
 * replicas share conversations. Commands fail fast while Redis is down
 * (no offline queue), which the app sees as a clear SESSION_STORE error.
 */
export class RedisSessionStore implements SessionStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(
    private readonly options: RedisSessionStoreOptions,
    private readonly cipher: SessionCipher,
  ) {
    this.prefix = options.prefix ?? 'ferry:session:';
    this.redis = new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? 2000,
      retryStrategy: (times) => Math.min(times * 100, 2000),
    });
    // Connection errors surface per command; without a listener ioredis would print them unhandled.
    this.redis.on('error', () => undefined);
  }

  /** Connects now, so a wrong URL fails at startup rather than at the first request. */
  async connect(): Promise<this> {
    try {
      await this.call('connect', () => this.redis.connect());
    } catch (error) {
      this.redis.disconnect();
      throw error;
    }
    return this;
  }

  async get(sessionId: string): Promise<Session | undefined> {
    checkSessionId(sessionId);
    const items = await this.call('read', () => this.redis.lrange(this.key(sessionId), 0, -1));
    return items.length > 0 ? { id: sessionId, turns: items.map((p) => this.open(p, sessionId)) } : undefined;
  }

  async append(sessionId: string, turn: SessionTurnInput): Promise<SessionTurn> {
    checkSessionId(sessionId);
    const stored = normalizeTurn(turn);
    const key = this.key(sessionId);
    const payload = this.cipher.encrypt(JSON.stringify(stored), sessionId);
    await this.call('write', async () => {
      const multi = this.redis.multi().rpush(key, payload);
      if (this.options.ttlSeconds) multi.expire(key, this.options.ttlSeconds);
      const results = await multi.exec();
      const failed = results?.find(([err]) => err);
      if (failed) throw failed[0];
    });
    return stored;
  }

  async history(sessionId: string, lastN: number): Promise<SessionTurn[]> {
    checkSessionId(sessionId);
    checkLastN(lastN);
    if (lastN === 0) return [];
    const items = await this.call('read', () => this.redis.lrange(this.key(sessionId), -lastN, -1));
    return items.map((p) => this.open(p, sessionId));
  }

  async clear(sessionId: string): Promise<void> {
    checkSessionId(sessionId);
    await this.call('write', () => this.redis.del(this.key(sessionId)));
  }

  async ping(): Promise<void> {
    await this.call('ping', () => this.redis.ping());
  }

  async close(): Promise<void> {
    await closeRedis(this.redis);
  }

  private key(sessionId: string): string {
    return `${this.prefix}${sessionId}`;
  }

  private open(payload: string, sessionId: string): SessionTurn {
    return JSON.parse(this.cipher.decrypt(payload, sessionId)) as SessionTurn;
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw new FerryError('PROVIDER_HTTP_ERROR', `the Redis session store failed to ${what}: ${(error as Error).message}`, {
        field: 'sessions.url',
        hint: `Check that Redis is running and reachable at ${redactUrl(this.options.url)}.`,
        cause: error,
        details: { store: 'redis' },
      });
    }
  }
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
