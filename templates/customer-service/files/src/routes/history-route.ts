import { defineRoute, HttpError, type SessionStore } from '@ferry/server';
import { z } from 'zod';
import { userId } from '../chat/chat-schemas.js';

/** GET /api/history/:user_id: the user's recent turns (already redacted); keys with the `history` scope. */
export function historyRoute(sessions: SessionStore, historyTurns: number) {
  return defineRoute({
    method: 'GET',
    url: '/api/history/:user_id',
    scope: 'history',
    query: z.object({ last: z.coerce.number().int().min(1).max(1000).default(historyTurns) }),
    handler: async ({ params, query }) => {
      const user = userId.safeParse(params['user_id']);
      if (!user.success) {
        throw new HttpError(400, 'INPUT_INVALID', `user_id: ${user.error.issues[0]?.message ?? 'invalid'}`, 'Use the user_id the chat was called with.', 'params.user_id');
      }
      return { user_id: user.data, turns: await sessions.history(user.data, query.last) };
    },
  });
}
