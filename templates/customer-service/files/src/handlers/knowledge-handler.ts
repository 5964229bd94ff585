import type { RagPluginApi } from '@ferry/plugin-rag';
import type { Classified, Handled } from '../chat/chat-schemas.js';

export const HANDOFF_MESSAGE = "I'm not sure how to help with that. Let me connect you to a human agent.";

/**
 * Technical and general questions: answered from data/docs with sources, or
 * handed to a person when the documents do not say. While the vector store is
 * down this throws a FerryError the server answers with 503 and the reason.
 */
export async function knowledgeHandler(rag: RagPluginApi, input: Classified, signal: AbortSignal): Promise<Handled> {
  const answer = await rag.ask(input.message, { signal });
  if (!answer.answered) return { ...input, response: HANDOFF_MESSAGE, handoff: true };
  return {
    ...input,
    response: answer.text,
    handoff: false,
    sources: answer.sources.map((s) => ({ n: s.n, source: s.source, ...(s.heading ? { heading: s.heading } : {}) })),
    // The answer model failed and the extractive fallback answered from the same articles (the plugin logged why).
    ...(answer.degraded ? { degraded: true } : {}),
  };
}
