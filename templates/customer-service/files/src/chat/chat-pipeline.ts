import { defineStep, guard, pipeline, type Guard } from '@ferry/core';
import { findPii, redact } from '@ferry/plugin-prompt';
import type { RagPluginApi } from '@ferry/plugin-rag';
import type { AuditLog, SessionStore } from '@ferry/server';
import { accountHandler } from '../handlers/account-handler.js';
import { billingHandler } from '../handlers/billing-handler.js';
import { knowledgeHandler } from '../handlers/knowledge-handler.js';
import type { IntentRouter } from '../intent-router.js';
import { chatReply, chatRequest, classified, handled, recalled, type ChatTurn } from './chat-schemas.js';

export interface ChatServices {
  router: IntentRouter;
  rag: RagPluginApi;
  sessions: SessionStore;
  /** The prompt plugin's injection guard, configured in ferry.config.ts. */
  injectionGuard: Guard;
  audit: AuditLog | undefined;
  historyTurns: number;
}

/** The assistant's last turn, when it is waiting for the user (e.g. identity details). */
function pendingFlow(history: ChatTurn[]): ChatTurn | undefined {
  const last = history.findLast((t) => t.role === 'assistant');
  return last?.metadata?.['awaiting'] === 'identity' ? last : undefined;
}

/**
 * POST /api/chat as a pipeline: check (injection guard) -> recall (history)
 * -> classify (intent, route) -> handle (billing, account, knowledge base)
 * -> redact (PII out of the reply) -> record (both turns into the session).
 */
export function chatPipeline(services: ChatServices) {
  const check = defineStep({
    name: 'check',
    description: "the prompt plugin's injection guard refuses instructions aimed at the assistant",
    input: chatRequest,
    output: chatRequest,
    run: (input) => input,
  }).use(guard(services.injectionGuard));

  const recall = defineStep({
    name: 'recall',
    description: "the user's last turns from the session store",
    input: chatRequest,
    output: recalled,
    run: async (input) => ({
      ...input,
      history: (await services.sessions.history(input.user_id, services.historyTurns)).map(({ role, content, metadata }) => ({
        role,
        content,
        ...(metadata ? { metadata } : {}),
      })),
    }),
  });

  const classify = defineStep({
    name: 'classify',
    description: 'the trained intent classifier, unless this reply carries the details a pending identity check asked for',
    input: recalled,
    output: classified,
    run: async (input) => {
      // Any other message is a new request: the customer may drop the check and ask something else.
      const intent = pendingFlow(input.history)?.metadata?.['intent'];
      if (typeof intent === 'string' && findPii(input.message, ['email']).length > 0) {
        return { ...input, intent, route: 'account' as const, confidence: 1 };
      }
      return { ...input, ...(await services.router.route(input.message)) };
    },
  });

  const handle = defineStep({
    name: 'handle',
    description: 'billing and account handlers; technical and general questions go to the knowledge base',
    input: classified,
    output: handled,
    run: async (input, ctx) => {
      switch (input.route) {
        case 'billing':
          return billingHandler(input);
        case 'account':
          return accountHandler(input, pendingFlow(input.history) !== undefined);
        default:
          return knowledgeHandler(services.rag, input, ctx.signal);
      }
    },
  });

  const redactReply = defineStep({
    name: 'redact',
    description: 'emails, phone and card numbers, IBANs and secrets replaced in the reply',
    input: handled,
    output: handled,
    run: (input) => ({ ...input, response: redact(input.response).text }),
  });

  const record = defineStep({
    name: 'record',
    description: 'both turns into the session (the user turn redacted); handoffs into the audit log',
    input: handled,
    output: chatReply,
    run: async (input) => {
      const routing = { intent: input.intent, route: input.route };
      await services.sessions.append(input.user_id, { role: 'user', content: redact(input.message).text, metadata: routing });
      const turn = await services.sessions.append(input.user_id, {
        role: 'assistant',
        content: input.response,
        metadata: { ...routing, handoff: input.handoff, ...(input.awaiting ? { awaiting: input.awaiting } : {}) },
      });
      if (input.handoff) {
        // On disk before the reply says a person will follow up.
        await services.audit?.append('chat.handoff', {
          user_id: input.user_id,
          ...routing,
          reason: input.route === 'account' ? 'identity-verification' : 'no-answer',
        });
      }
      return {
        response: input.response,
        intent: input.intent,
        route: input.route,
        confidence: input.confidence,
        handoff: input.handoff,
        ...(input.sources && input.sources.length > 0 ? { sources: input.sources } : {}),
        ...(input.degraded ? { degraded: true as const } : {}),
        timestamp: turn.at,
      };
    },
  });

  return pipeline('support.chat', check, recall, classify, handle, redactReply, record);
}
