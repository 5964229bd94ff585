import { randomUUID } from 'node:crypto';
import type { ChatMessage, FinishReason, GenerateOptions, GenerationResult } from '@ferry/core';
import { z } from 'zod';
import { abortOnDisconnect } from '../http/abort-on-disconnect.js';
import { defineRoute } from '../http/define-route.js';
import type { ModelSource } from './model-source.js';
import { writeSse } from './sse.js';

const textPart = z.looseObject({ type: z.literal('text'), text: z.string() });

const messageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z.union([z.string(), z.array(textPart), z.null()]),
  name: z.string().max(256).optional(),
});

/** Ferry's one extension: passages to ground the answer in (what `offline:extractive` answers from). */
const documentSchema = z.strictObject({
  id: z.string().min(1).max(512),
  text: z.string(),
  source: z.string().max(2048).optional(),
});

/**
 * The OpenAI request, validated field by field. Parameters this server does
 * not act on (logit_bias, tools...) are accepted and ignored, as OpenAI-
 * compatible servers commonly do; `n` above 1 is refused rather than faked.
 */
export const chatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1, 'name a model: a Ferry model reference (offline:extractive) or an alias from the app config'),
  messages: z.array(messageSchema).min(1, 'send at least one message'),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  seed: z.number().int().nullish(),
  n: z.literal(1, 'this server returns one choice; leave n out or set it to 1').nullish(),
  documents: z.array(documentSchema).max(1000).optional(),
});
export type ChatCompletionRequest = z.output<typeof chatCompletionRequestSchema>;

const FINISH: Record<FinishReason, 'stop' | 'length' | 'content_filter'> = {
  stop: 'stop',
  length: 'length',
  'content-filter': 'content_filter',
  'no-answer': 'stop',
  error: 'stop',
};

export function chatCompletionsRoute(models: ModelSource, scope: string) {
  return defineRoute({
    method: 'POST',
    url: '/v1/chat/completions',
    body: chatCompletionRequestSchema,
    scope,
    async handler({ body, request, reply }) {
      const model = await models.textGenerator(body.model);
      const messages = toMessages(body.messages);
      const options = generateOptions(body, abortOnDisconnect(reply));
      const id = `chatcmpl-${randomUUID()}`;
      const created = Math.floor(Date.now() / 1000);

      if (!body.stream) {
        const result = await model.generate(messages, options);
        return completionBody(id, created, body.model, result);
      }

      // Errors before the first byte still get a normal JSON error response.
      const iterator = model.stream(messages, options)[Symbol.asyncIterator]();
      const first = await iterator.next();
      const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
        id,
        object: 'chat.completion.chunk',
        created,
        model: body.model,
        choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
      });
      await writeSse(reply, request.id, async (send) => {
        send(chunk({ role: 'assistant', content: '' }, null));
        let step = first;
        while (!step.done) {
          send(chunk({ content: step.value }, null));
          step = await iterator.next();
        }
        send(chunk({}, 'stop'));
      });
      return reply;
    },
  });
}

function toMessages(messages: ChatCompletionRequest['messages']): ChatMessage[] {
  return messages.map((m) => ({
    role: m.role === 'developer' ? 'system' : m.role,
    content: typeof m.content === 'string' ? m.content : (m.content ?? []).map((p) => p.text).join(''),
    ...(m.name === undefined ? {} : { name: m.name }),
  }));
}

function generateOptions(body: ChatCompletionRequest, signal: AbortSignal): GenerateOptions {
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  return {
    signal,
    ...(maxTokens == null ? {} : { maxTokens }),
    ...(body.temperature == null ? {} : { temperature: body.temperature }),
    ...(body.top_p == null ? {} : { topP: body.top_p }),
    ...(body.stop == null ? {} : { stop: typeof body.stop === 'string' ? [body.stop] : body.stop }),
    ...(body.seed == null ? {} : { seed: body.seed }),
    ...(body.documents ? { documents: body.documents } : {}),
  };
}

function completionBody(id: string, created: number, model: string, result: GenerationResult): Record<string, unknown> {
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: result.text, refusal: null }, finish_reason: FINISH[result.finishReason], logprobs: null }],
    // Only real counts: a model that does not report usage gets none invented.
    ...(result.usage
      ? { usage: { prompt_tokens: result.usage.promptTokens, completion_tokens: result.usage.completionTokens, total_tokens: result.usage.totalTokens } }
      : {}),
    ferry: {
      model: result.model.ref,
      neural: result.model.neural,
      finish_reason: result.finishReason,
      ...(result.citations ? { citations: result.citations } : {}),
    },
  };
}
