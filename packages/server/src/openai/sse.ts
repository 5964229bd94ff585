import type { FastifyReply } from 'fastify';

/**
 * Streams Server-Sent Events on the raw response: `data: {json}` per event
 * and `data: [DONE]` at the end, as OpenAI clients expect. An error after
 * the headers went out is sent as an `error` event, since the status is
 * already 200.
 */
export async function writeSse(reply: FastifyReply, requestId: string, produce: (send: (event: unknown) => void) => Promise<void>): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': requestId,
  });
  const send = (event: unknown): void => {
    if (!res.destroyed) res.write(`data: ${JSON.stringify(event)}\n\n`);
  };
  try {
    await produce(send);
  } catch (error) {
    reply.log.error({ err: error }, 'stream failed after the response started');
    send({ error: { code: 'STREAM_FAILED', message: 'the model failed while streaming', requestId } });
  }
  if (!res.destroyed) res.end('data: [DONE]\n\n');
}
