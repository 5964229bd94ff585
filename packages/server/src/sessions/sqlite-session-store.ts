import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { FerryError } from '@ferry/core';
import type { SessionCipher } from './session-cipher.js';
import { checkLastN, checkSessionId, normalizeTurn, type Session, type SessionStore, type SessionTurn, type SessionTurnInput } from './session-store.js';

/**
 * The embedded default: one SQLite file in WAL mode, one row per turn, each
 * turn encrypted. A committed append survives a crash of the process.
 */
export class SqliteSessionStore implements SessionStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, string]>;
  private readonly selectAll: Database.Statement<[string], { payload: string }>;
  private readonly selectLast: Database.Statement<[string, number], { payload: string }>;
  private readonly remove: Database.Statement<[string]>;

  constructor(
    readonly path: string,
    private readonly cipher: SessionCipher,
  ) {
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode: a killed process loses nothing committed; only a power cut may drop the last commits.
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(`CREATE TABLE IF NOT EXISTS session_turns (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL,
        payload TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS session_turns_by_session ON session_turns (session_id, seq);`);
    } catch (error) {
      throw new FerryError('CONFIG_INVALID', `cannot open the SQLite session store at ${path}: ${(error as Error).message}`, {
        field: 'sessions.path',
        hint: 'Point sessions.path at a writable file path (its folder is created if missing).',
        cause: error,
      });
    }
    this.insert = this.db.prepare('INSERT INTO session_turns (session_id, payload) VALUES (?, ?)');
    this.selectAll = this.db.prepare('SELECT payload FROM session_turns WHERE session_id = ? ORDER BY seq');
    this.selectLast = this.db.prepare('SELECT payload FROM (SELECT seq, payload FROM session_turns WHERE session_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq');
    this.remove = this.db.prepare('DELETE FROM session_turns WHERE session_id = ?');
  }

  async get(sessionId: string): Promise<Session | undefined> {
    checkSessionId(sessionId);
    const turns = this.selectAll.all(sessionId).map((r) => this.open(r.payload, sessionId));
    return turns.length > 0 ? { id: sessionId, turns } : undefined;
  }

  async append(sessionId: string, turn: SessionTurnInput): Promise<SessionTurn> {
    checkSessionId(sessionId);
    const stored = normalizeTurn(turn);
    this.insert.run(sessionId, this.cipher.encrypt(JSON.stringify(stored), sessionId));
    return stored;
  }

  async history(sessionId: string, lastN: number): Promise<SessionTurn[]> {
    checkSessionId(sessionId);
    checkLastN(lastN);
    return this.selectLast.all(sessionId, lastN).map((r) => this.open(r.payload, sessionId));
  }

  async clear(sessionId: string): Promise<void> {
    checkSessionId(sessionId);
    this.remove.run(sessionId);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private open(payload: string, sessionId: string): SessionTurn {
    return JSON.parse(this.cipher.decrypt(payload, sessionId)) as SessionTurn;
  }
}
