import type { ChatMessage, GenerateInput, GroundingDocument } from '@ferry/core';

const INSTRUCTION =
  'Answer from the numbered context passages below. Cite each passage you use by its number in square brackets, e.g. [1]. ' +
  'If the passages do not contain the answer, say that you do not know.';

/**
 * Chat messages for a generation: a string is one user message; grounding
 * documents become numbered context in the first system message (many chat
 * templates take a single, leading system message).
 */
export function toMessages(input: GenerateInput, documents: readonly GroundingDocument[] = []): ChatMessage[] {
  const messages: ChatMessage[] = typeof input === 'string' ? [{ role: 'user', content: input }] : input.map((m) => ({ role: m.role, content: m.content }));
  if (documents.length === 0) return messages;
  const passages = documents.map((doc, i) => `[${i + 1}] (${doc.source ?? doc.id}) ${doc.text.trim()}`);
  const context = `${INSTRUCTION}\n\n${passages.join('\n\n')}`;
  const [first, ...rest] = messages;
  if (first?.role === 'system') return [{ ...first, content: `${first.content}\n\n${context}` }, ...rest];
  return [{ role: 'system', content: context }, ...messages];
}

/** For a base model without a chat template: "Role: text" lines ending with "Assistant:". */
export function plainPrompt(messages: readonly ChatMessage[]): string {
  const lines = messages.map((m) => `${m.role.charAt(0).toUpperCase()}${m.role.slice(1)}: ${m.content}`);
  return `${lines.join('\n')}\nAssistant:`;
}
