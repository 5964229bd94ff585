import { describe, expect, it } from 'vitest';
import { plainPrompt, toMessages } from './chat-prompt.js';

const documents = [
  { id: 'faq#1', text: ' Ferries leave at dawn. ', source: 'faq.md' },
  { id: 'faq#2', text: 'Tickets are sold on board.' },
];

describe('chat prompts', () => {
  it('puts grounding documents into the first system message, numbered with their source', () => {
    const messages = toMessages('When do ferries leave?', documents);
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[0]!.content).toContain('[1] (faq.md) Ferries leave at dawn.');
    expect(messages[0]!.content).toContain('[2] (faq#2) Tickets are sold on board.');
    const joined = toMessages([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], documents);
    expect(joined).toHaveLength(2);
    expect(joined[0]!.content).toMatch(/^Be brief\.\n\nAnswer from the numbered context/);
  });

  it('writes role lines ending in "Assistant:" for models without a chat template', () => {
    expect(plainPrompt('Once upon a time')).toBe('Once upon a time');
    expect(plainPrompt([{ role: 'user', content: 'Hi' }])).toBe('User: Hi\nAssistant:');
  });
});
