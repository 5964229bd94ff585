import type { Answer, RagPluginApi } from '@ferry/plugin-rag';
import { defineRoute } from '@ferry/server';
import { z } from 'zod';

const askBody = z.strictObject({
  question: z.string().trim().min(1, 'ask a question').max(2000, 'keep questions under 2,000 characters'),
  k: z.number().int().min(1).max(20).optional(),
});

/** What the API returns: the answer with `[n]` markers, and the sources they point at. */
export function answerBody(answer: Answer) {
  return {
    answer: answer.text,
    answered: answer.answered,
    evidence: answer.evidence,
    sources: answer.sources.map((s) => ({ ...s, url: `/api/sources/${s.source.split('/').map(encodeURIComponent).join('/')}` })),
  };
}

/** POST /api/ask { question } -> cited answer, or "I don't know" when the documents do not hold it. */
export function askRoute(rag: RagPluginApi) {
  return defineRoute({
    method: 'POST',
    url: '/api/ask',
    scope: 'chat',
    body: askBody,
    handler: async ({ body, reply }) => {
      // The response closing before it is written means the client left: stop working on the answer.
      // (The request's own 'close' fires as soon as its body is read, so it cannot tell.)
      const controller = new AbortController();
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) controller.abort();
      });
      return answerBody(await rag.ask(body.question, { ...(body.k ? { k: body.k } : {}), signal: controller.signal }));
    },
  });
}

/** POST /api/ask/stream: server-sent events, `text` pieces as they come, then the `answer`. */
export function askStreamRoute(rag: RagPluginApi) {
  return defineRoute({
    method: 'POST',
    url: '/api/ask/stream',
    scope: 'chat',
    body: askBody,
    handler: async ({ body, reply }) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      try {
        for await (const event of rag.stream(body.question, body.k ? { k: body.k } : {})) {
          const data = event.type === 'text' ? { type: 'text', text: event.text } : { type: 'answer', ...answerBody(event.answer) };
          reply.raw.write(`data: ${JSON.stringify(data)}\n\n`);
        }
      } catch (error) {
        reply.raw.write(`data: ${JSON.stringify({ type: 'error', message: (error as Error).message })}\n\n`);
      }
      reply.raw.end('data: [DONE]\n\n');
    },
  });
}
