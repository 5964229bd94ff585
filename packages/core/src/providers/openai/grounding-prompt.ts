import type { ChatMessage, GenerateInput, GroundingDocument } from '../../models/model-types.js';

/** A chat message as the OpenAI wire format has it. */
export interface WireMessage {
  role: ChatMessage['role'];
  content: string;
  name?: string;
}

const INSTRUCTION =
  'Answer from the numbered context passages below. Cite each passage you use by its number in square brackets, e.g. [1]. ' +
  'If the passages do not contain the answer, say that you do not know.';

/**
 * The messages to send: a string becomes one user message; grounding
 * documents become numbered context in the system message, joined to the
 * caller's own system message when there is one, because many chat
 * templates accept a single system message, and only as the first.
 */
export function toWireMessages(input: GenerateInput, documents: readonly GroundingDocument[] = []): WireMessage[] {
  const messages: WireMessage[] =
    typeof input === 'string' ? [{ role: 'user', content: input }] : input.map((m) => (m.name === undefined ? { role: m.role, content: m.content } : { ...m }));
  if (documents.length === 0) return messages;

  const context = renderContext(documents);
  const [first, ...rest] = messages;
  if (first?.role === 'system') return [{ ...first, content: `${first.content}\n\n${context}` }, ...rest];
  return [{ role: 'system', content: context }, ...messages];
}

/** `[1] (source) text` per document, under the instruction to cite. */
export function renderContext(documents: readonly GroundingDocument[]): string {
  const passages = documents.map((doc, i) => `[${i + 1}] (${doc.source ?? doc.id}) ${doc.text.trim()}`);
  return `${INSTRUCTION}\n\n${passages.join('\n\n')}`;
}
