import { checkLastN, checkSessionId, normalizeTurn, type Session, type SessionStore, type SessionTurn, type SessionTurnInput } from './session-store.js';

/** Process-local sessions, for tests and single-process demos; lost on restart. */
export class MemorySessionStore implements SessionStore {
  readonly kind = 'memory' as const;
  private readonly sessions = new Map<string, SessionTurn[]>();

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
