import { describe, expect, it } from 'vitest';
import { groundedMessages, plainChatPrompt, renderGroundingContext } from './grounding-prompt.js';

const documents = [
  { id: 'policy#1', text: 'Refunds can be requested within 30 days. ', source: 'policy.md' },
  { id: 'faq#4', text: 'Support answers within a day.' },
];

describe('plainChatPrompt', () => {
  it('writes role lines for a model to continue as the assistant', () => {
    expect(plainChatPrompt(groundedMessages('Hi'))).toBe('User: Hi\nAssistant:');
  });
});

describe('groundedMessages', () => {
  it('sends a string as one user message', () => {
    expect(groundedMessages('Hi')).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it('numbers the documents in a system message with their source and asks for citations', () => {
    const [system, user] = groundedMessages('How long for a refund?', documents);
    expect(system?.role).toBe('system');
    expect(system?.content).toContain('[1] (policy.md) Refunds can be requested within 30 days.');
    expect(system?.content).toContain('[2] (faq#4) Support answers within a day.');
    expect(system?.content).toMatch(/Cite each passage you use by its number/);
    expect(user).toEqual({ role: 'user', content: 'How long for a refund?' });
  });

  it("joins the context to the caller's own system message, keeping names", () => {
    const messages = groundedMessages(
      [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Refunds?', name: 'ana' },
      ],
      documents,
    );
    expect(messages).toHaveLength(2);
    expect(messages[0]?.content).toBe(`You are terse.\n\n${renderGroundingContext(documents)}`);
    expect(messages[1]).toEqual({ role: 'user', content: 'Refunds?', name: 'ana' });
  });
});
