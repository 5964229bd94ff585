import { LruCache } from '@ferry/core';
import { checkLastN, checkSessionId, normalizeTurn, type Session, type SessionStore, type SessionTurn, type SessionTurnInput } from './session-store.js';

export interface MemorySessionStoreOptions {
  /** Turns kept per session; older ones are dropped first. */
  maxTurns?: number;
  /** Sessions kept; the one used least recently is dropped first. */
  maxSessions?: number;
}

export const MEMORY_SESSION_LIMITS = { maxTurns: 100, maxSessions: 10_000 } as const;

/**
 * Process-local sessions, for tests and single-process demos; lost on
 * restart. Bounded, so a long-running process cannot grow without limit:
 * at most `maxTurns` per session and `maxSessions` sessions (least recently
 * used dropped first). Use SQLite or Redis to keep whole conversations.
 */
export class MemorySessionStore implements SessionStore {
  readonly kind = 'memory' as const;
  private readonly sessions: LruCache<string, SessionTurn[]>;
  private readonly maxTurns: number;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.maxTurns = options.maxTurns ?? MEMORY_SESSION_LIMITS.maxTurns;
    this.sessions = new LruCache({ maxEntries: options.maxSessions ?? MEMORY_SESSION_LIMITS.maxSessions });
  }

  async get(sessionId: string): Promise<Session | undefined> {
    checkSessionId(sessionId);
    const turns = this.sessions.get(sessionId);
    return turns ? { id: sessionId, turns: turns.map((t) => ({ ...t })) } : undefined;
  }

  async append(sessionId: string, turn: SessionTurnInput): Promise<SessionTurn> {
    checkSessionId(sessionId);
    const stored = normalizeTurn(turn);
    const turns = this.sessions.get(sessionId) ?? [];
    turns.push(stored);
    if (turns.length > this.maxTurns) turns.splice(0, turns.length - this.maxTurns);
    this.sessions.set(sessionId, turns);
    return { ...stored };
  }

  async history(sessionId: string, lastN: number): Promise<SessionTurn[]> {
    checkSessionId(sessionId);
    checkLastN(lastN);
    if (lastN === 0) return [];
    return (this.sessions.get(sessionId) ?? []).slice(-lastN).map((t) => ({ ...t }));
  }

  async clear(sessionId: string): Promise<void> {
    checkSessionId(sessionId);
    this.sessions.delete(sessionId);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.sessions.clear();
  }
}
