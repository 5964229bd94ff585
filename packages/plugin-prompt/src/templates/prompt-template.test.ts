import { FerryError, isFerryError } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePrompt } from './prompt-template.js';

function catchError(fn: () => unknown): FerryError {
  try {
    fn();
  } catch (error) {
    if (isFerryError(error)) return error;
    throw error;
  }
  throw new Error('expected a FerryError');
}

describe('definePrompt', () => {
  const summary = definePrompt({
    name: 'summary',
    variables: z.object({ text: z.string(), count: z.number().int() }),
    template: 'Summarize in {{count}} sentences: {{text}}',
  });

  it('renders a text template without HTML escaping', () => {
    expect(summary.render({ text: 'A & B <c> "d"', count: 2 })).toBe('Summarize in 2 sentences: A & B <c> "d"');
    expect(summary.kind).toBe('text');
  });

  it('renders Chinese text untouched', () => {
    expect(summary.render({ text: '大模型技术正经历从实验室走向产业界的关键转折期。', count: 1 })).toBe(
      'Summarize in 1 sentences: 大模型技术正经历从实验室走向产业界的关键转折期。',
    );
  });

  it('names a missing variable and says how to fix it', () => {
    const error = catchError(() => summary.render({ count: 2 } as never));
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.field).toBe('variables.text');
    expect(error.hint).toContain('Pass "text"');
  });

  it('names an extra variable', () => {
    const error = catchError(() => summary.render({ text: 'x', count: 1, topic: 'y' } as never));
    expect(error.field).toBe('variables.topic');
    expect(error.hint).toContain('Remove "topic"');
  });

  it('names a wrongly typed variable', () => {
    const error = catchError(() => summary.render({ text: 'x', count: 'two' } as never));
    expect(error.field).toBe('variables.count');
    expect(error.message).toContain('expected number');
  });

  it('detects variables used but not declared, at definition time', () => {
    const error = catchError(() =>
      definePrompt({
        name: 'typo',
        variables: z.object({ topic: z.string() }),
        template: '{{topik}} and {{#each items}}{{this}}{{/each}} and {{@root.audience}}',
      }),
    );
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.details?.['undeclared']).toEqual(['topik', 'items', 'audience']);
    expect(error.field).toBe('variables.topik');
  });

  it('does not mistake item fields, block params, data vars or helpers for variables', () => {
    const prompt = definePrompt({
      name: 'docs',
      variables: z.object({ docs: z.array(z.object({ text: z.string() })), title: z.string(), unused: z.string().optional() }),
      template:
        '{{#each docs as |doc|}}[{{inc @index}}] {{doc.text}} {{text}} ({{../title}}){{#if @last}}.{{/if}}\n{{/each}}{{json title}}',
    });
    expect(prompt.unusedVariables).toEqual(['unused']);
    expect(prompt.render({ docs: [{ text: 'a' }, { text: 'b' }], title: 'T' })).toBe('[1] a a (T)\n[2] b b (T).\n"T"');
  });

  it('renders optional variables with #if', () => {
    const prompt = definePrompt({
      name: 'optional',
      variables: z.object({ a: z.string(), b: z.string().optional() }),
      template: '{{a}}{{#if b}}+{{b}}{{/if}}',
    });
    expect(prompt.render({ a: 'x' })).toBe('x');
    expect(prompt.render({ a: 'x', b: 'y' })).toBe('x+y');
  });

  it('reports a missing nested field of an optional variable as a render error', () => {
    const prompt = definePrompt({
      name: 'nested',
      variables: z.object({ user: z.object({ name: z.string() }).optional() }),
      template: 'Hi {{user.name}}',
    });
    const error = catchError(() => prompt.render({}));
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.hint).toContain('{{#if');
  });

  it('registers partials per template, isolated from other templates', () => {
    const withPartial = definePrompt({
      name: 'with-partial',
      variables: z.object({ role: z.string(), task: z.string() }),
      partials: { persona: 'You are a {{role}}.' },
      template: '{{> persona}} {{task}}',
    });
    expect(withPartial.render({ role: 'financial analyst', task: 'Analyze.' })).toBe('You are a financial analyst. Analyze.');
    const error = catchError(() => definePrompt({ name: 'no-partial', variables: z.object({}), template: '{{> persona}}' }));
    expect(error.field).toBe('partials.persona');
  });

  it('supports partial blocks and recursive partials', () => {
    const prompt = definePrompt({
      name: 'layout',
      variables: z.object({ title: z.string(), tree: z.array(z.any()) }),
      partials: { section: '# {{title}}\n{{> @partial-block}}', node: '{{#each this}}-{{name}}{{> node children}}{{/each}}' },
      template: '{{#> section}}body{{/section}}\n{{> node tree}}',
    });
    expect(prompt.render({ title: 'T', tree: [{ name: 'a', children: [{ name: 'b', children: [] }] }] })).toBe('# T\nbody\n-a-b');
    const selfCalling = definePrompt({
      name: 'self',
      variables: z.object({ more: z.boolean() }),
      partials: { self: 'x{{#if more}}{{> self}}{{/if}}' },
      template: '{{> self}}',
    });
    expect(selfCalling.render({ more: false })).toBe('x');
  });

  it('checks variables used inside partials', () => {
    expect(() =>
      definePrompt({
        name: 'partial-undeclared',
        variables: z.object({}),
        partials: { persona: 'You are a {{role}}.' },
        template: '{{> persona}}',
      }),
    ).toThrow(/role/);
  });

  it('renders a chat template to messages', () => {
    const chat = definePrompt({
      name: 'analyst',
      variables: z.object({ sector: z.string(), question: z.string() }),
      messages: [
        { role: 'system', template: 'You are a financial analyst specializing in {{sector}}.' },
        { role: 'user', template: '{{question}}' },
      ],
      outputSchema: z.object({ answer: z.string() }),
      settings: { temperature: 0.7 },
    });
    expect(chat.kind).toBe('chat');
    expect(chat.render({ sector: 'automotive', question: '特斯拉值得投资吗?' })).toEqual([
      { role: 'system', content: 'You are a financial analyst specializing in automotive.' },
      { role: 'user', content: '特斯拉值得投资吗?' },
    ]);
    expect(chat.settings).toEqual({ temperature: 0.7 });
  });

  it('reports a template that does not parse, naming the message', () => {
    const error = catchError(() =>
      definePrompt({
        name: 'broken',
        variables: z.object({ items: z.array(z.string()) }),
        messages: [
          { role: 'system', template: 'ok' },
          { role: 'user', template: '{{#each items}}{{this}}' },
        ],
      }),
    );
    expect(error.field).toBe('messages[1].template');
    expect(error.message).toContain('not valid Handlebars');
  });

  it('rejects a definition with both or neither of template and messages', () => {
    expect(() => definePrompt({ name: 'none', variables: z.object({}) } as never)).toThrow(/exactly one/);
  });
});
