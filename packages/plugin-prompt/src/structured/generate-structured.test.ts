import { isFerryError, type ChatMessage } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateStructured } from './generate-structured.js';
import { ScriptedGenerator } from './scripted-generator.test-helper.js';

const ticket = z.object({
  category: z.enum(['billing', 'bug', 'other']),
  urgency: z.number().int().min(1).max(5),
  summary: z.string().min(3),
});

function messagesOf(model: ScriptedGenerator, call: number): ChatMessage[] {
  const prompt = model.prompts[call];
  if (!Array.isArray(prompt)) throw new Error(`call ${call} got no message list`);
  return prompt;
}

describe('generateStructured', () => {
  it('adds the schema instructions to the last user turn and returns the typed value', async () => {
    const model = new ScriptedGenerator(['{"category": "bug", "urgency": 4, "summary": "crash on save"}']);
    const result = await generateStructured({ model, prompt: 'Classify: the app crashes when I save.', schema: ticket });
    const value: { category: 'billing' | 'bug' | 'other'; urgency: number; summary: string } = result.value;
    expect(value).toEqual({ category: 'bug', urgency: 4, summary: 'crash on save' });
    expect(result).toMatchObject({ attempts: 1, repaired: [] });
    const [message] = messagesOf(model, 0);
    expect(message?.role).toBe('user');
    expect(message?.content).toMatch(/^Classify: the app crashes when I save\.\n\nReply with only a JSON object/);
    expect(message?.content).toContain('category must be one of: "billing", "bug", "other".');
  });

  it('keeps a chat prompt intact and does not mutate it', async () => {
    const prompt: ChatMessage[] = [
      { role: 'system', content: 'You triage tickets.' },
      { role: 'user', content: 'Refund please, charged twice.' },
    ];
    const model = new ScriptedGenerator(['{"category": "billing", "urgency": 3, "summary": "double charge"}']);
    await generateStructured({ model, prompt, schema: ticket });
    expect(prompt[1]?.content).toBe('Refund please, charged twice.');
    const sent = messagesOf(model, 0);
    expect(sent[0]).toEqual({ role: 'system', content: 'You triage tickets.' });
    expect(sent[1]?.content).toContain('Reply with only a JSON object');
  });

  it('accepts fenced and chatty replies', async () => {
    const fenced = new ScriptedGenerator(['```json\n{"category": "other", "urgency": 1, "summary": "hello"}\n```']);
    expect((await generateStructured({ model: fenced, prompt: 'x', schema: ticket })).value.category).toBe('other');
    const chatty = new ScriptedGenerator(['Of course! {"category": "bug", "urgency": 2, "summary": "typo"} Hope this helps.']);
    expect((await generateStructured({ model: chatty, prompt: 'x', schema: ticket })).value.summary).toBe('typo');
  });

  it('recovers slightly broken JSON without a retry and reports the repairs', async () => {
    const model = new ScriptedGenerator(["{\n  'category': 'bug', // guess\n  'urgency': 5,\n  'summary': 'data loss',\n}"]);
    const result = await generateStructured({ model, prompt: 'x', schema: ticket });
    expect(result.attempts).toBe(1);
    expect(result.value.urgency).toBe(5);
    expect(result.repaired).toEqual(
      expect.arrayContaining(['converted single-quoted strings to double quotes', 'removed comments', 'removed trailing commas']),
    );
  });

  it('re-asks with the failing field paths and the previous answer, then succeeds', async () => {
    const bad = '{"category": "urgent", "urgency": "high", "summary": "server down"}';
    const good = '{"category": "bug", "urgency": 5, "summary": "server down"}';
    const model = new ScriptedGenerator([bad, good]);
    const result = await generateStructured({ model, prompt: 'Server is down!', schema: ticket });
    expect(result).toMatchObject({ attempts: 2, raw: good, value: { category: 'bug', urgency: 5 } });
    const retry = messagesOf(model, 1);
    expect(retry).toHaveLength(3);
    expect(retry[1]).toEqual({ role: 'assistant', content: bad });
    expect(retry[2]?.role).toBe('user');
    expect(retry[2]?.content).toContain('- category: Invalid option');
    expect(retry[2]?.content).toContain('- urgency: Invalid input: expected number, received string');
  });

  it('re-asks when the reply holds no JSON at all', async () => {
    const model = new ScriptedGenerator(['Sorry, what format?', '{"category": "other", "urgency": 1, "summary": "fine"}']);
    const result = await generateStructured({ model, prompt: 'x', schema: ticket });
    expect(result.attempts).toBe(2);
    expect(messagesOf(model, 1)[2]?.content).toContain('- (root): the reply contains no JSON object or array');
  });

  it('names nested array paths in the follow-up', async () => {
    const order = z.object({ items: z.array(z.object({ sku: z.string(), qty: z.number().positive() })) });
    const model = new ScriptedGenerator(['{"items": [{"sku": "a", "qty": 1}, {"sku": "b", "qty": -2}]}', '{"items": []}']);
    await generateStructured({ model, prompt: 'x', schema: order });
    expect(messagesOf(model, 1)[2]?.content).toContain('- items[1].qty: Too small');
  });

  it('throws after maxAttempts, naming the fields that failed', async () => {
    const model = new ScriptedGenerator(['{"category": "x"}', '{"category": "y", "urgency": 9}', '{"category": "bug", "urgency": 0, "summary": ""}']);
    const error: unknown = await generateStructured({ model, prompt: 'x', schema: ticket }).catch((e: unknown) => e);
    if (!isFerryError(error, 'PROVIDER_BAD_RESPONSE')) throw new Error('expected a PROVIDER_BAD_RESPONSE FerryError');
    expect(model.prompts).toHaveLength(3);
    expect(error.message).toContain('in 3 attempt(s)');
    expect(error.message).toContain('urgency:');
    expect(error.message).toContain('summary:');
    expect(error.field).toBe('urgency');
    expect(error.details).toMatchObject({ attempts: 3, fields: ['urgency', 'summary'] });
  });

  it('respects a custom maxAttempts and validates it', async () => {
    const model = new ScriptedGenerator(['nope']);
    await expect(generateStructured({ model, prompt: 'x', schema: ticket, maxAttempts: 1 })).rejects.toThrow('in 1 attempt(s)');
    expect(model.prompts).toHaveLength(1);
    await expect(generateStructured({ model, prompt: 'x', schema: ticket, maxAttempts: 0 })).rejects.toThrow('maxAttempts must be a positive integer');
  });

  it('handles a top-level array schema and applies transforms to the output type', async () => {
    const schema = z.array(z.object({ id: z.number(), name: z.string().transform((s) => s.toUpperCase()) }));
    const model = new ScriptedGenerator(['Here:\n[{"id": 1, "name": "a"}, {"id": 2, "name": "b",},]']);
    const result = await generateStructured({ model, prompt: 'list', schema });
    expect(result.value).toEqual([
      { id: 1, name: 'A' },
      { id: 2, name: 'B' },
    ]);
    expect(messagesOf(model, 0)[0]?.content).toContain('Reply with only a JSON array');
  });

  it('passes generation options to every call', async () => {
    const model = new ScriptedGenerator(['{}', '{"category": "bug", "urgency": 1, "summary": "abc"}']);
    await generateStructured({ model, prompt: 'x', schema: ticket, options: { maxTokens: 64, temperature: 0 } });
    expect(model.options).toEqual([
      { maxTokens: 64, temperature: 0 },
      { maxTokens: 64, temperature: 0 },
    ]);
  });

  it('lets model errors propagate instead of retrying them', async () => {
    const model = new ScriptedGenerator([]);
    await expect(generateStructured({ model, prompt: 'x', schema: ticket })).rejects.toThrow('ran out of replies');
  });
});
