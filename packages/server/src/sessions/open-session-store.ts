import { FerryError } from '@ferry/core';
import type { ResolvedFerryServerOptions } from '../server-options.js';
import { MemorySessionStore } from './memory-session-store.js';
import { RedisSessionStore } from './redis-session-store.js';
import { SessionCipher } from './session-cipher.js';
import type { SessionStore } from './session-store.js';
import { SqliteSessionStore } from './sqlite-session-store.js';

/** Builds the configured store; persistent stores refuse to start without an encryption key. */
export async function openSessionStore(config: NonNullable<ResolvedFerryServerOptions['sessions']>): Promise<{ store: SessionStore; owned: boolean }> {
  if (!('store' in config) || typeof config.store !== 'string') return { store: config as SessionStore, owned: false };
  if (config.store === 'memory') {
    return {
      store: new MemorySessionStore({
        ...(config.maxTurns === undefined ? {} : { maxTurns: config.maxTurns }),
        ...(config.maxSessions === undefined ? {} : { maxSessions: config.maxSessions }),
      }),
      owned: true,
    };
  }
  const cipher = config.encryption ? new SessionCipher(config.encryption) : SessionCipher.fromEnv();
  if (!cipher) {
    throw new FerryError('CONFIG_INVALID', `the ${config.store} session store needs an encryption key: session data is encrypted at rest`, {
      field: 'sessions.encryption',
      hint: 'Set FERRY_SESSION_KEY to 32 random bytes in base64 (`openssl rand -base64 32`), or pass sessions.encryption.keys.',
    });
  }
  if (config.store === 'sqlite') return { store: new SqliteSessionStore(config.path, cipher), owned: true };
  const store = new RedisSessionStore(
    { url: config.url, ...(config.prefix === undefined ? {} : { prefix: config.prefix }), ...(config.ttlSeconds === undefined ? {} : { ttlSeconds: config.ttlSeconds }) },
    cipher,
  );
  await store.connect();
  return { store, owned: true };
}
