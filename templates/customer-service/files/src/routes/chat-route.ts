import { defineRoute } from '@ferry/server';
import type { chatPipeline } from '../chat/chat-pipeline.js';
import { chatRequest } from '../chat/chat-schemas.js';

/** POST /api/chat { user_id, message } -> { response, intent, route, handoff, sources?, timestamp }. */
export function chatRoute(chat: ReturnType<typeof chatPipeline>) {
  return defineRoute({
    method: 'POST',
    url: '/api/chat',
    scope: 'chat',
    body: chatRequest,
    handler: async ({ body, request }) => (await chat.run(body, { runId: request.id })).output,
  });
}
