import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fitToBudget } from './fit-to-budget.js';
import { definePrompt } from './prompt-template.js';
import { estimateTokens } from './token-estimate.js';

// One token per whitespace-separated word: easy to reason about in assertions.
const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;

const qa = definePrompt({
  name: 'qa',
  variables: z.object({ context: z.array(z.object({ id: z.string(), text: z.string() })), question: z.string() }),
  template: 'Question: {{question}}\n{{#each context}}[{{inc @index}}] {{text}}\n{{/each}}',
});

const docs = [
  { id: 'a', text: 'one two three four five' },
  { id: 'b', text: 'six seven eight nine ten' },
  { id: 'c', text: 'eleven twelve thirteen fourteen fifteen' },
];

describe('fitToBudget', () => {
  it('leaves a prompt that fits alone', () => {
    const result = fitToBudget({ prompt: qa, variables: { context: docs, question: 'why?' }, trim: 'context' }, { maxTokens: 100, countTokens: words });
    expect(result).toMatchObject({ droppedDocuments: 0, truncated: false, tokens: 20 });
  });

  it('drops whole documents from the end first', () => {
    const result = fitToBudget({ prompt: qa, variables: { context: docs, question: 'why?' }, trim: 'context' }, { maxTokens: 14, countTokens: words });
    expect(result.droppedDocuments).toBe(1);
    expect(result.truncated).toBe(false);
    expect(result.variables.context.map((d) => d.id)).toEqual(['a', 'b']);
    expect(result.tokens).toBe(14);
  });

  it('then cuts the text of the last remaining document', () => {
    const result = fitToBudget({ prompt: qa, variables: { context: docs, question: 'why?' }, trim: 'context' }, { maxTokens: 5, countTokens: words });
    expect(result.droppedDocuments).toBe(2);
    expect(result.truncated).toBe(true);
    expect(result.rendered).toBe('Question: why?\n[1] one two…\n');
    expect(result.variables.context).toEqual([{ id: 'a', text: 'one two…' }]);
    expect(result.tokens).toBeLessThanOrEqual(5);
  });

  it('cuts a plain string variable with the default estimate, keeping CJK characters whole', () => {
    const prompt = definePrompt({ name: 'zh', variables: z.object({ context: z.string() }), template: '背景:{{context}}' });
    const context = '企业落地过程中面临着技术选型、成本控制与业务适配的三重挑战。';
    const result = fitToBudget({ prompt, variables: { context }, trim: 'context' }, { maxTokens: 12 });
    expect(result.truncated).toBe(true);
    expect(result.tokens).toBeLessThanOrEqual(12);
    expect(result.rendered.startsWith('背景:企业落地')).toBe(true);
    expect(context.startsWith(result.variables.context.replace('…', ''))).toBe(true);
  });

  it('fails with the variable named when even an empty variable does not fit', () => {
    expect(() =>
      fitToBudget({ prompt: qa, variables: { context: docs, question: 'a very long question indeed' }, trim: 'context' }, { maxTokens: 3, countTokens: words }),
    ).toThrow(/variables\.context/);
  });

  it('rejects a variable that is not text', () => {
    expect(() => fitToBudget({ prompt: qa, variables: { context: docs, question: 'q' }, trim: 'missing' as never }, { maxTokens: 3 })).toThrow(/cannot be trimmed/);
  });
});

describe('estimateTokens', () => {
  it('counts one token per CJK character and a quarter per other character', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcdefgh')).toBe(2);
    expect(estimateTokens('abcde')).toBe(2);
    expect(estimateTokens('大模型')).toBe(3);
    expect(estimateTokens('大模型 LLM')).toBe(4);
  });
});
