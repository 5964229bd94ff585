import type { GenerateInput, TextGenerator } from '@ferry/core';
import { HashingEmbedder } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { createExampleSelector } from '../few-shot/example-selector.js';
import { evalChartSvg } from './eval-chart-svg.js';
import { evaluatePrompts, type EvalExample, type PromptVariant } from './evaluate-prompts.js';
import { formatEvalTable } from './format-eval-table.js';
import { modelVariant } from './model-variant.js';

const labels = ['neg', 'pos'];
const dataset: EvalExample[] = [
  { text: 'shares fell', label: 'neg' },
  { text: 'profits rose', label: 'pos' },
  { text: 'record gains', label: 'pos' },
  { text: 'guidance cut', label: 'neg' },
];

/** Answers by keyword, with one broken reply for "guidance cut". */
function fakeModel(): TextGenerator & { prompts: string[] } {
  const prompts: string[] = [];
  const text = (input: GenerateInput): string => (typeof input === 'string' ? input : input.map((m) => m.content).join('\n'));
  return {
    prompts,
    metadata: { provider: 'test', model: 'fake', ref: 'test:fake', task: 'text-generation', neural: false },
    async generate(input) {
      const prompt = text(input);
      prompts.push(prompt);
      const reply = prompt.includes('guidance cut')
        ? 'I think it is {"label": "neg"'
        : `{"steps": [{"step": "1", "analysis": "read"}], "label": "${/fell|cut/.test(prompt.split('Text:').pop() ?? '') ? 'neg' : 'pos'}", "confidence": 0.9}`;
      return { text: reply, finishReason: 'stop', usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 }, model: this.metadata };
    },
    async *stream() {
      yield '';
    },
  };
}

describe('evaluatePrompts', () => {
  it('scores each variant, measures latency, tokens and JSON validity', async () => {
    const perfect: PromptVariant = { name: 'perfect', run: async (e) => ({ label: e.label, raw: e.label, tokens: 2 }) };
    const alwaysPos: PromptVariant = { name: 'always-pos', json: true, run: async () => ({ label: 'pos', raw: '{"label":"pos"}' }) };
    const crashes: PromptVariant = {
      name: 'crashes',
      run: async (e) => {
        if (e.text === 'shares fell') throw new Error('boom');
        return { label: e.label, raw: '' };
      },
    };
    const report = await evaluatePrompts({ variants: [perfect, alwaysPos, crashes], dataset, labels, concurrency: 2 });
    const [p, a, c] = report.variants;
    expect(p).toMatchObject({ accuracy: 1, macroF1: 1, weightedF1: 1, totalTokens: 8, errors: 0 });
    expect(p?.jsonValidRate).toBeUndefined();
    // always-pos: pos P = 1/2, R = 1, F1 = 2/3; neg F1 = 0.
    expect(a?.accuracy).toBe(0.5);
    expect(a?.macroF1).toBeCloseTo(1 / 3, 12);
    expect(a?.jsonValidRate).toBe(1);
    expect(a?.confusion.matrix).toEqual([
      [0, 2],
      [0, 2],
    ]);
    expect(c).toMatchObject({ accuracy: 0.75, errors: 1 });
    expect(c?.confusion.unlabelled).toEqual([1, 0]);
    expect(p?.p95LatencyMs).toBeGreaterThanOrEqual(0);
    expect(p?.meanLatencyMs).toBeGreaterThanOrEqual(0);

    const table = formatEvalTable(report);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^variant\s+accuracy\s+macro-F1\s+weighted-F1\s+JSON valid/);
    expect(lines[3]).toMatch(/^always-pos\s+0\.500\s+0\.333\s+0\.333\s+1\.000/);
    // Aligned: every row of the table is as wide as the rule under the header.
    expect(new Set(lines.slice(1, 5).map((l) => l.length)).size).toBe(1);

    const svg = evalChartSvg(report);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('accuracy and macro-F1');
    expect(svg).toContain('score (0-1)');
    expect(svg.match(/<rect [^>]*fill="#3366cc"><title>/g)).toHaveLength(3);
    expect(svg).toContain('always-pos macro-F1: 0.333');
  });
});

describe('modelVariant', () => {
  it('renders zero-shot, few-shot and chain-of-thought prompts and parses the label', async () => {
    const model = fakeModel();
    const selector = createExampleSelector(
      [
        { text: 'stock fell hard', label: 'neg' },
        { text: 'stock rose fast', label: 'pos' },
      ],
      new HashingEmbedder(64),
    );
    const variants = [
      modelVariant('zero', model, { kind: 'zero-shot', criterion: 'the sentiment' }, labels),
      modelVariant('few', model, { kind: 'few-shot', selector, k: 2 }, labels),
      modelVariant('cot', model, { kind: 'chain-of-thought' }, labels),
    ];
    const report = await evaluatePrompts({ variants, dataset, labels });
    for (const v of report.variants) {
      // Three right, "guidance cut" got a truncated reply: unlabelled, not an error.
      expect(v).toMatchObject({ accuracy: 0.75, jsonValidRate: 0.75, totalTokens: 60, errors: 0 });
    }
    expect(model.prompts.some((p) => p.includes('Examples:') && p.includes('stock rose fast'))).toBe(true);
    expect(model.prompts.some((p) => p.includes('Follow these steps'))).toBe(true);
  });
});
