import { isFerryError } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { classificationOutputFor } from './classification-output.js';
import { extractionOutputSchema } from './extraction-prompt.js';
import { NO_ANSWER_SENTENCE } from './knowledge-base-answer-prompt.js';
import type { PromptLibraryEntry } from './library-entry.js';
import { getPrompt, promptLibrary } from './prompt-library.js';

const entries = Object.entries(promptLibrary) as Array<[string, PromptLibraryEntry]>;

function text(rendered: string | Array<{ content: string }>): string {
  return typeof rendered === 'string' ? rendered : rendered.map((m) => m.content).join('\n');
}

describe('promptLibrary', () => {
  it('holds the five field-guide templates, the investment analysis, two classifiers and the knowledge-base answer', () => {
    expect(Object.keys(promptLibrary).sort()).toEqual([
      'code-generation',
      'creative-writing',
      'extraction',
      'few-shot-classification',
      'investment-analysis',
      'knowledge-base-answer',
      'problem-diagnosis',
      'summary',
      'zero-shot-classification',
    ]);
  });

  it.each(entries)('%s: is keyed by its prompt name and reads every declared variable', (name, entry) => {
    expect(entry.prompt.name).toBe(name);
    expect(entry.prompt.unusedVariables).toEqual([]);
  });

  it.each(entries)('%s: renders from its example with no placeholder left over', (_name, entry) => {
    const rendered = text(entry.prompt.render(entry.example.variables));
    expect(rendered.length).toBeGreaterThan(20);
    expect(rendered).not.toMatch(/\{\{|\}\}|undefined|\[object Object\]/);
  });

  it.each(entries.filter(([, e]) => e.outputSchema))('%s: output schema parses the example answer', (_name, entry) => {
    expect(entry.outputSchema!.safeParse(JSON.parse(entry.example.sampleAnswer)).success).toBe(true);
  });

  it('keeps Chinese text untouched', () => {
    const { prompt, example } = promptLibrary.summary;
    expect(prompt.render(example.variables)).toContain(example.variables.text);
  });

  it('extraction lists the keys and its schema demands exactly them', () => {
    const rendered = promptLibrary.extraction.prompt.render({ text: 'x', keys: ['a', 'b'] });
    expect(rendered).toContain('exactly these keys: "a", "b".');
    const schema = extractionOutputSchema(['a', 'b']);
    expect(schema.safeParse({ a: '1', b: null }).success).toBe(true);
    expect(schema.safeParse({ a: '1' }).success).toBe(false);
    expect(schema.safeParse({ a: '1', b: 2, c: 3 }).success).toBe(false);
  });

  it('classification schemas accept label only and can restrict labels', () => {
    const schema = promptLibrary['zero-shot-classification'].outputSchema;
    expect(schema.safeParse({ label: 'positive' }).success).toBe(true);
    expect(schema.safeParse({ label: 'positive', confidence: 2 }).success).toBe(false);
    const restricted = classificationOutputFor(['negative', 'neutral', 'positive']);
    expect(restricted.safeParse({ label: 'bullish' }).success).toBe(false);
  });

  it('few-shot renders every example before the text to classify', () => {
    const { prompt, example } = promptLibrary['few-shot-classification'];
    const rendered = prompt.render(example.variables);
    expect(rendered).toContain('Text: Revenue grew 30% and margins widened.\nLabel: positive\n');
    expect(rendered.indexOf(example.variables.text)).toBeGreaterThan(rendered.lastIndexOf('Label: negative'));
  });

  it('investment analysis is a chat prompt whose schema rejects other recommendations', () => {
    const { prompt, example, outputSchema } = promptLibrary['investment-analysis'];
    const [system, user] = prompt.render(example.variables);
    expect(system).toEqual({ role: 'system', content: 'You are a financial analyst specializing in technology and automotive sectors.' });
    expect(user?.content).toContain('6. Formulate an overall investment recommendation');
    expect(outputSchema.safeParse({ ...JSON.parse(example.sampleAnswer), recommendation: 'strong buy' }).success).toBe(false);
  });

  it('knowledge-base answer numbers documents, asks for [n] citations and the exact no-answer sentence', () => {
    const { prompt, example } = promptLibrary['knowledge-base-answer'];
    const [system, user] = prompt.render(example.variables);
    expect(system?.content).toContain('[1]');
    expect(system?.content).toContain(`reply with exactly this sentence and nothing else:\n${NO_ANSWER_SENTENCE}`);
    expect(user?.content).toContain('[1] (handbook.md) Employees may work remotely');
    expect(user?.content).toContain('\n[2] (handbook.md) Remote work from abroad');
    expect(example.sampleAnswer).toMatch(/\[1\].*\[2\]/);
  });

  it('variable errors name the variable', () => {
    try {
      promptLibrary.summary.prompt.render({ text: 'x' } as never);
      expect.unreachable();
    } catch (error) {
      expect(isFerryError(error, 'INPUT_INVALID') && error.field).toBe('variables.number');
    }
  });
});

describe('getPrompt', () => {
  it('returns an entry by name', () => {
    expect(getPrompt('summary')).toBe(promptLibrary.summary);
  });

  it('lists the available names when the name is unknown', () => {
    expect(() => getPrompt('sumary')).toThrow(/sumary[\s\S]*summary, code-generation/);
  });
});
