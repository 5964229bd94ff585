import { describe, expect, it } from 'vitest';
import { promptLibrary } from '../library/prompt-library.js';
import type { PromptLibraryEntry } from '../library/library-entry.js';
import { lintPrompt } from './lint-prompt.js';
import { lintablePromptFile } from './lintable-prompt-file.js';

const VAGUE = 'Write something good about our product.';
const VAGUE_ZH = '写一些关于我们产品的好一点的东西。';

/** A library entry rendered with its own example, as the model would get it. */
function renderedText(entry: PromptLibraryEntry): string {
  const out = entry.prompt.render(entry.example.variables);
  return typeof out === 'string' ? out : out.map((m) => m.content).join('\n\n');
}

const rules = (text: string): string[] => lintPrompt(text).findings.map((f) => f.rule);

describe('lintPrompt', () => {
  it('ranks a vague prompt clearly below every library template', () => {
    const vague = lintPrompt(VAGUE).score;
    const vagueZh = lintPrompt(VAGUE_ZH).score;
    for (const [name, entry] of Object.entries(promptLibrary) as [string, PromptLibraryEntry][]) {
      const score = lintPrompt(renderedText(entry)).score;
      expect(score, name).toBeGreaterThanOrEqual(vague + 25);
      expect(score, name).toBeGreaterThanOrEqual(vagueZh + 25);
    }
  });

  it('weights the sub-scores by the field guide rubric', () => {
    const result = lintPrompt(VAGUE);
    expect(result.weights).toEqual({ clarity: 0.3, structure: 0.25, relevance: 0.2, examples: 0.15, constraints: 0.1 });
    const weighted = (Object.keys(result.weights) as (keyof typeof result.weights)[]).reduce(
      (sum, k) => sum + result.subscores[k] * result.weights[k],
      0,
    );
    expect(result.score).toBe(Math.round(weighted));
    for (const value of Object.values(result.subscores)) expect(value).toBeGreaterThanOrEqual(0);
  });

  it('points at vague words with spans and names the missing output format', () => {
    const result = lintPrompt(VAGUE);
    const vague = result.findings.filter((f) => f.rule === 'vague-word');
    expect(vague.map((f) => f.span && VAGUE.slice(f.span.start, f.span.end))).toEqual(['something', 'good']);
    const format = result.findings.find((f) => f.rule === 'no-output-format');
    expect(format?.fix).toMatch(/Reply as JSON with keys/);
    expect(rules(VAGUE)).toEqual(expect.arrayContaining(['too-short', 'no-input', 'no-structure']));
  });

  it('does not take "some" inside a longer word or a placeholder for a vague word', () => {
    expect(lintPrompt('Summarize {{something}} for someone.').findings.filter((f) => f.rule === 'vague-word')).toEqual([]);
  });

  it('reads Chinese prompts: vague words, task verbs, format and constraints', () => {
    const vague = lintPrompt(VAGUE_ZH);
    expect(vague.findings.filter((f) => f.rule === 'vague-word').map((f) => f.message)).toEqual(
      expect.arrayContaining(['vague word "一些"', 'vague word "好一点"']),
    );
    const good = lintPrompt(`你是一名资深产品经理。请总结以下用户反馈,面向管理层读者,语气正式。

要求:
- 用 JSON 输出,键为 summary 和 issues
- 不超过 200 字
- 不要编造反馈中没有的内容
- 每个问题必须引用原文

示例:
输入: 应用经常闪退
输出: {"summary": "稳定性问题", "issues": ["闪退"]}

反馈: {{feedback}}`);
    expect(good.score).toBeGreaterThanOrEqual(80);
    expect(good.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(good.subscores.constraints).toBe(100);
  });

  it('takes a placeholder count as a stated format and length', () => {
    const found = rules('Summarize the following text in {{number}} sentences.\n\nText: {{text}}');
    expect(found).not.toContain('no-output-format');
    expect(found).not.toContain('no-length-limit');
  });

  it('flags a prompt with no task verb', () => {
    expect(rules('Our product is a note-taking app for students.')).toContain('task-verb');
  });

  it('counts labelled examples and flags unbalanced labels', () => {
    const shots = (labels: string[]): string =>
      `Classify the text as positive or negative. Reply with the label only.\n\n${labels
        .map((l, i) => `Text: review ${i}\nLabel: ${l}`)
        .join('\n\n')}\n\nText: {{text}}\nLabel:`;
    const balanced = lintPrompt(shots(['positive', 'negative', 'positive', 'negative']));
    expect(balanced.subscores.examples).toBe(100);
    const skewed = lintPrompt(shots(['positive', 'positive', 'positive', 'negative']));
    expect(skewed.findings.map((f) => f.rule)).toContain('label-imbalance');
    expect(skewed.subscores.examples).toBeLessThan(balanced.subscores.examples);
  });

  it('reports unused and undeclared variables of a template', () => {
    const result = lintPrompt({ text: 'Summarize {{text}} in {{count}} sentences.', declaredVariables: ['text', 'tone'], unusedVariables: ['tone'] });
    const found = result.findings.filter((f) => f.rule.endsWith('variable'));
    expect(found.map((f) => [f.rule, f.message])).toEqual([
      ['unused-variable', 'variable "tone" is declared but never used'],
      ['undeclared-variable', 'variable "count" is used but not declared'],
    ]);
    expect(found[1]?.span).toEqual({ start: 22, end: 29 });
  });

  it('reports template syntax errors instead of throwing', () => {
    expect(lintPrompt({ text: 'Summarize {{#if x}} text', declaredVariables: [] }).findings.map((f) => f.rule)).toContain('template-syntax');
  });

  it('warns about a very long prompt without headings', () => {
    expect(rules(`Summarize the text. ${'word '.repeat(1600)}`)).toContain('long-unstructured');
  });
});

describe('lintablePromptFile', () => {
  it('lints a front-matter file by its body, with its declared and unused variables', () => {
    const file = `---
name: greet
input:
  type: object
  properties:
    name: { type: string }
    tone: { type: string }
output:
  type: object
  properties:
    greeting: { type: string }
---
Write a greeting for {{name}}.`;
    const lintable = lintablePromptFile(file);
    expect(lintable).toEqual({ text: 'Write a greeting for {{name}}.', declaredVariables: ['name', 'tone'], unusedVariables: ['tone'], hasOutputSchema: true });
    expect(lintPrompt(lintable).findings.map((f) => f.rule)).not.toContain('no-output-format');
  });

  it('takes text without front matter as plain prompt text', () => {
    expect(lintablePromptFile(VAGUE)).toEqual({ text: VAGUE });
  });
});
