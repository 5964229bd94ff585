import { afterEach, describe, expect, it } from 'vitest';
import type { ModelMetadata } from '../../models/model-types.js';
import { OpenAIChatModel, toFinishReason } from './openai-chat-model.js';
import { OpenAIClient } from './openai-client.js';
import {
  chatCompletionBody,
  chatStreamText,
  sendEventStream,
  sendJson,
  startFakeOpenAIServer,
  testSettings,
  type FakeOpenAIServer,
  type FakeRoute,
} from './openai-fake-server.test-helper.js';

const metadata: ModelMetadata = { provider: 'openai', model: 'qwen2.5-7b', ref: 'openai:qwen2.5-7b', task: 'text-generation', neural: true };

let server: FakeOpenAIServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function chatModel(route: FakeRoute, defaults = {}): Promise<{ model: OpenAIChatModel; server: FakeOpenAIServer }> {
  server = await startFakeOpenAIServer({ '/chat/completions': route });
  return { model: new OpenAIChatModel(new OpenAIClient(testSettings(server.baseURL)), metadata, defaults), server };
}

async function collect(pieces: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const piece of pieces) out.push(piece);
  return out;
}

describe('OpenAIChatModel.generate', () => {
  it('sends the prompt as a user message and returns text, usage, finish reason and metadata', async () => {
    const { model, server } = await chatModel((_req, res) => sendJson(res, 200, chatCompletionBody('Hello there.')));
    const result = await model.generate('Say hello');
    expect(result).toEqual({
      text: 'Hello there.',
      finishReason: 'stop',
      usage: { promptTokens: 11, completionTokens: 5, totalTokens: 16 },
      model: metadata,
    });
    expect(server.requests[0]?.json).toEqual({ model: 'qwen2.5-7b', messages: [{ role: 'user', content: 'Say hello' }] });
  });

  it('maps options to the wire names, per call over the model defaults', async () => {
    const { model, server } = await chatModel((_req, res) => sendJson(res, 200, chatCompletionBody('ok')), { temperature: 0.2, maxTokens: 64, seed: 1 });
    await model.generate([{ role: 'user', content: 'x' }], { maxTokens: 8, topP: 0.9, stop: ['\n\n'] });
    expect(server.requests[0]?.json).toMatchObject({ max_tokens: 8, temperature: 0.2, top_p: 0.9, stop: ['\n\n'], seed: 1 });
  });

  it('grounds the answer in documents and returns the citations it makes', async () => {
    const documents = [
      { id: 'policy#1', text: 'Refunds within 30 days.', source: 'policy.md' },
      { id: 'faq#2', text: 'Shipping is free.' },
    ];
    const { model, server } = await chatModel((_req, res) => sendJson(res, 200, chatCompletionBody('Within 30 days [1].')));
    const result = await model.generate('Refund window?', { documents });
    const sent = server.requests[0]?.json as { messages: Array<{ role: string; content: string }> };
    expect(sent.messages[0]?.role).toBe('system');
    expect(sent.messages[0]?.content).toContain('[1] (policy.md) Refunds within 30 days.');
    expect(sent.messages[0]?.content).toContain('[2] (faq#2) Shipping is free.');
    expect(result.citations).toEqual([{ documentId: 'policy#1', source: 'policy.md', quote: 'Refunds within 30 days.' }]);
  });

  it('reports a length cut-off and tolerates servers that send no usage and null content', async () => {
    const { model } = await chatModel((_req, res) =>
      sendJson(res, 200, { choices: [{ index: 0, message: { role: 'assistant', content: null }, finish_reason: 'length' }] }),
    );
    const result = await model.generate('x');
    expect(result).toMatchObject({ text: '', finishReason: 'length' });
    expect(result.usage).toBeUndefined();
  });

  it('rejects a reply without choices with PROVIDER_BAD_RESPONSE naming the field', async () => {
    const { model, server } = await chatModel((_req, res) => sendJson(res, 200, { object: 'chat.completion', choices: [] }));
    await expect(model.generate('x')).rejects.toMatchObject({
      code: 'PROVIDER_BAD_RESPONSE',
      field: 'response.choices',
      message: expect.stringContaining(`POST ${server.baseURL}/chat/completions`),
    });
  });
});

describe('toFinishReason', () => {
  it('maps OpenAI reasons to Ferry ones', () => {
    expect(toFinishReason('stop')).toBe('stop');
    expect(toFinishReason('length')).toBe('length');
    expect(toFinishReason('content_filter')).toBe('content-filter');
    expect(toFinishReason('tool_calls')).toBe('stop');
    expect(toFinishReason(null)).toBe('stop');
  });
});

describe('OpenAIChatModel.stream', () => {
  const pieces = ['Ferry ', 'carries ', 'models — ', 'café ', '\u{1F6A2}', '\nto production.'];

  it('reassembles content deltas sent in awkward pieces with pauses', async () => {
    const { model, server } = await chatModel((_req, res) => sendEventStream(res, chatStreamText(pieces), { pieceBytes: 5, delayMs: 1 }));
    const received = await collect(model.stream('Tell me'));
    expect(received.join('')).toBe(pieces.join(''));
    expect(received).toEqual(pieces);
    expect(server.requests[0]?.json).toMatchObject({ stream: true, messages: [{ role: 'user', content: 'Tell me' }] });
  });

  it('handles CRLF line ends, comments and a stream that ends without [DONE]', async () => {
    const text = `: ping\r\n\r\n${chatStreamText(['a', 'b']).replace('data: [DONE]\n\n', '').replaceAll('\n', '\r\n')}`;
    const { model } = await chatModel((_req, res) => sendEventStream(res, text, { pieceBytes: 3, delayMs: 0 }));
    expect((await collect(model.stream('x'))).join('')).toBe('ab');
  });

  it('stops the download when the consumer stops reading', async () => {
    let closed = false;
    const { model } = await chatModel(async (_req, res) => {
      res.on('close', () => {
        closed = true;
      });
      await sendEventStream(res, chatStreamText(Array.from({ length: 200 }, (_, i) => `${i} `)), { pieceBytes: 40, delayMs: 5 });
    });
    for await (const piece of model.stream('x')) {
      if (piece === '2 ') break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(true);
  });

  it('aborts mid-stream with the signal, without retrying', async () => {
    const { model, server } = await chatModel((_req, res) => sendEventStream(res, chatStreamText(['a', 'b', 'c']), { pieceBytes: 200, delayMs: 40 }));
    const controller = new AbortController();
    const seen: string[] = [];
    const run = (async () => {
      for await (const piece of model.stream('x', { signal: controller.signal })) {
        seen.push(piece);
        controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual(['a']);
    expect(server.count('/chat/completions')).toBe(1);
  });
});
