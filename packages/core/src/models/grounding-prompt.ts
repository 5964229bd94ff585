import type { ChatMessage, GenerateInput, GroundingDocument } from './model-types.js';

const INSTRUCTION =
  'Answer from the numbered context passages below. Cite each passage you use by its number in square brackets, e.g. [1]. ' +
  'If the passages do not contain the answer, say that you do not know.';

/**
 * The messages a chat model gets: a string becomes one user message; grounding
 * documents become numbered context in the system message, joined to the
 * caller's own system message when there is one, because many chat
 * templates accept a single system message, and only as the first. Every
 * generator (OpenAI-compatible, transformers, llama) grounds the same way.
 */
export function groundedMessages(input: GenerateInput, documents: readonly GroundingDocument[] = []): ChatMessage[] {
  const messages: ChatMessage[] =
    typeof input === 'string' ? [{ role: 'user', content: input }] : input.map((m) => (m.name === undefined ? { role: m.role, content: m.content } : { ...m }));
  if (documents.length === 0) return messages;

  const context = renderGroundingContext(documents);
  const [first, ...rest] = messages;
  if (first?.role === 'system') return [{ ...first, content: `${first.content}\n\n${context}` }, ...rest];
  return [{ role: 'system', content: context }, ...messages];
}

/** `[1] (source) text` per document, under the instruction to cite. */
export function renderGroundingContext(documents: readonly GroundingDocument[]): string {
  const passages = documents.map((doc, i) => `[${i + 1}] (${doc.source ?? doc.id}) ${doc.text.trim()}`);
  return `${INSTRUCTION}\n\n${passages.join('\n\n')}`;
}

/** For a base model without a chat template: "Role: text" lines ending with "Assistant:" for it to continue. */
export function plainChatPrompt(messages: readonly ChatMessage[]): string {
  const lines = messages.map((m) => `${m.role.charAt(0).toUpperCase()}${m.role.slice(1)}: ${m.content}`);
  return `${lines.join('\n')}\nAssistant:`;
}
