import { FerryError } from '@ferry/core';
import { z } from 'zod';

export const sessionTurnSchema = z.strictObject({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string(),
  /** ISO time; the store fills it in when absent. */
  at: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type SessionTurnInput = z.input<typeof sessionTurnSchema>;
export type SessionTurn = z.output<typeof sessionTurnSchema> & { at: string };

export interface Session {
  id: string;
  turns: SessionTurn[];
}

/**
 * Conversation history behind one interface, so an app moves from the
 * embedded SQLite store to Redis (several replicas) by configuration.
 */
export interface SessionStore {
  readonly kind: 'memory' | 'sqlite' | 'redis';
  /** The whole session, or undefined when it has no turns. */
  get(sessionId: string): Promise<Session | undefined>;
  append(sessionId: string, turn: SessionTurnInput): Promise<SessionTurn>;
  /** The last `lastN` turns, oldest first. */
  history(sessionId: string, lastN: number): Promise<SessionTurn[]>;
  clear(sessionId: string): Promise<void>;
  /** Throws when the backing store cannot be reached (for /ready). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const SESSION_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

export function checkSessionId(sessionId: string): void {
  if (!SESSION_ID.test(sessionId)) {
    throw new FerryError('INPUT_INVALID', `session id ${JSON.stringify(sessionId.slice(0, 40))} is not allowed`, {
      field: 'sessionId',
      hint: 'Use 1-128 letters, digits and . _ : @ - (e.g. a user id or a UUID).',
    });
  }
}

export function checkLastN(lastN: number): void {
  if (!Number.isInteger(lastN) || lastN < 0) {
    throw new FerryError('INPUT_INVALID', `lastN must be a non-negative integer, got ${lastN}`, { field: 'lastN', hint: 'Pass how many recent turns you want, e.g. 10.' });
  }
}

export function normalizeTurn(turn: SessionTurnInput): SessionTurn {
  const parsed = sessionTurnSchema.safeParse(turn);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FerryError('INPUT_INVALID', `session turn is invalid: ${issue?.message ?? 'bad value'}`, {
      field: `turn.${issue?.path.join('.') ?? ''}`,
      hint: 'A turn is { role: "user" | "assistant" | "system" | "tool", content: string }.',
    });
  }
  return { ...parsed.data, at: parsed.data.at ?? new Date().toISOString() };
}
