import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPromptFile, parsePromptFile } from './prompt-file.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

describe('prompt files', () => {
  it('loads a text prompt with front matter and converts the input schema', async () => {
    const prompt = await loadPromptFile(fixture('summary.prompt.md'));
    expect(prompt.name).toBe('summary');
    expect(prompt.model).toBe('openai:gpt-4o-mini');
    expect(prompt.settings).toEqual({ temperature: 0.2 });
    expect(prompt.kind).toBe('text');
    expect(prompt.render({ text: '企业落地面临三重挑战。', number: 2 })).toBe(
      'Summarize the following text in 2 sentences.\n\nText: 企业落地面临三重挑战。\n\nSummary:',
    );
    expect(prompt.render({ text: 't', number: 1, style: 'bullet' })).toContain('Style: bullet.');
    expect(() => prompt.render({ text: 't', number: 1.5 })).toThrow(/variables\.number/);
    expect(() => prompt.render({ text: 't', number: 1, style: 'fancy' })).toThrow(/variables\.style/);
  });

  it('loads a chat prompt from ## sections with an output schema', async () => {
    const prompt = await loadPromptFile(fixture('analyst.chat.md'));
    expect(prompt.kind).toBe('chat');
    expect(prompt.render({ stock: 'TSLA', steps: ['Financial health', 'Risks'] })).toEqual([
      { role: 'system', content: 'You are a financial analyst.' },
      { role: 'user', content: 'Analyze TSLA:\n1. Financial health\n2. Risks' },
    ]);
    const output = prompt.outputSchema!;
    expect(output.parse({ recommendation: 'hold', risks: ['rates'], details: { horizon: '12m' } })).toBeTruthy();
    expect(output.safeParse({ recommendation: 'short' }).success).toBe(false);
    expect(output.safeParse({ confidence: 0.5 }).success).toBe(false);
  });

  it('reports an unsupported schema type with its path', () => {
    expect(() =>
      parsePromptFile('---\nname: x\ninput:\n  type: object\n  properties:\n    when: { type: date }\n---\n{{when}}'),
    ).toThrow(/input\.properties\.when\.type/);
  });

  it('reports a template variable missing from the input schema', () => {
    expect(() => parsePromptFile('---\nname: x\n---\nHello {{who}}')).toThrow(/who/);
  });

  it('requires front matter and a name', () => {
    expect(() => parsePromptFile('Hello')).toThrow(/front matter/);
    expect(() => parsePromptFile('---\ndescription: d\n---\nHello')).toThrow(/name/);
  });

  it('rejects text before the first chat section', () => {
    expect(() => parsePromptFile('---\nname: x\n---\nstray\n## user\nhi')).toThrow(/before the first/);
  });
});
