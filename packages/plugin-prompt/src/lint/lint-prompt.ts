import { collectTemplateReferences } from '../templates/template-references.js';
import { LINT_WEIGHTS, type LintFinding, type LintSubscores, type PromptLintResult } from './lint-result.js';
import { measurePrompt, type PromptSignals } from './prompt-signals.js';

/** A prompt with what its template knows: the declared variables let the linter check the placeholders. */
export interface LintablePrompt {
  /** The prompt text, or a template's Handlebars source. */
  readonly text: string;
  /** Variables the template's schema declares; undefined for plain text. */
  readonly declaredVariables?: readonly string[];
  /** Declared variables the template never reads (PromptTemplate.unusedVariables). */
  readonly unusedVariables?: readonly string[];
  /** An output schema states the format even when the text does not. */
  readonly hasOutputSchema?: boolean;
}

/** Prompts shorter than this leave the model to guess the task; longer than the other bury it. */
const TOO_SHORT_WORDS = 12;
const VERY_LONG_WORDS = 1500;

const clamp = (n: number): number => Math.max(0, Math.min(100, Math.round(n)));

/**
 * Scores a prompt against the field guide's quality rubric from signals that
 * can be measured without a model: a task verb, vague words, a stated output
 * format, sections and lists, context, examples and explicit constraints.
 */
export function lintPrompt(input: string | LintablePrompt): PromptLintResult {
  const prompt: LintablePrompt = typeof input === 'string' ? { text: input } : input;
  const signals = measurePrompt(prompt.text);
  const findings: LintFinding[] = [];
  const subscores: LintSubscores = {
    clarity: clarity(signals, findings),
    structure: structure(signals, findings),
    relevance: relevance(prompt, signals, findings),
    examples: examples(signals, findings),
    constraints: constraints(prompt, signals, findings),
  };
  const score = clamp(
    (Object.keys(LINT_WEIGHTS) as (keyof LintSubscores)[]).reduce((sum, key) => sum + subscores[key] * LINT_WEIGHTS[key], 0),
  );
  return { score, subscores, weights: LINT_WEIGHTS, findings };
}

function clarity(s: PromptSignals, findings: LintFinding[]): number {
  let score = 100;
  if (!s.taskVerb) {
    score -= 40;
    findings.push({
      rule: 'task-verb',
      severity: 'error',
      message: 'no task verb: the prompt never says what to do',
      fix: "Start with the task, e.g. 'Summarize …', 'Extract …', 'Classify …' (总结 / 提取 / 分类 …).",
    });
  }
  if (s.vague.length > 0) {
    // Density, not count: one "some" in a page of precise instructions matters less than in one line.
    score -= Math.min(45, Math.round(15 * s.vague.length * Math.min(1, 50 / Math.max(s.words, 1))));
    for (const hit of s.vague) {
      findings.push({
        rule: 'vague-word',
        severity: 'warning',
        message: `vague word "${hit.word}"`,
        fix: `Replace "${hit.word}" with the concrete thing, quality or amount you mean.`,
        span: { start: hit.start, end: hit.end },
      });
    }
  }
  if (s.words < TOO_SHORT_WORDS) {
    score -= 30;
    findings.push({
      rule: 'too-short',
      severity: 'warning',
      message: `only ${Math.round(s.words)} words: too little to pin down the task`,
      fix: 'Say who the answer is for, what input it works on, and what a good answer contains.',
    });
  }
  return clamp(score);
}

function structure(s: PromptSignals, findings: LintFinding[]): number {
  const score = (s.paragraphs > 1 ? 25 : 0) + Math.min(2, s.headings) * 20 + (s.listItems >= 2 ? 25 : 0) + (s.delimiters ? 15 : 0);
  if (s.headings === 0 && s.listItems < 2) {
    findings.push({
      rule: 'no-structure',
      severity: s.words > 60 ? 'warning' : 'info',
      message: 'no sections or lists',
      fix: "Split the prompt into labelled parts ('Task:', 'Text:', 'Output:') and put requirements in a '-' list.",
    });
  }
  if (s.words > VERY_LONG_WORDS && s.headings < 2) {
    findings.push({
      rule: 'long-unstructured',
      severity: 'warning',
      message: `${Math.round(s.words)} words with few headings: instructions get lost`,
      fix: 'Add headings (## Task, ## Context, ## Output) or move reference material between delimiters.',
    });
  }
  return clamp(score);
}

function relevance(prompt: LintablePrompt, s: PromptSignals, findings: LintFinding[]): number {
  let score = 60;
  if (s.inputReferenced) score += 40;
  else {
    findings.push({
      rule: 'no-input',
      severity: 'warning',
      message: 'the prompt gives no input or context to work on',
      fix: "Include the material the task is about, e.g. 'Text: {{text}}' or the facts about the product.",
    });
  }
  if (s.words > VERY_LONG_WORDS) score -= 20;
  for (const name of prompt.unusedVariables ?? []) {
    score -= 25;
    findings.push({
      rule: 'unused-variable',
      severity: 'warning',
      message: `variable "${name}" is declared but never used`,
      fix: `Use {{${name}}} in the template, or remove "${name}" from the input schema.`,
    });
  }
  for (const name of undeclaredVariables(prompt, findings)) {
    score -= 25;
    const span = spanOf(prompt.text, `{{${name}`);
    findings.push({
      rule: 'undeclared-variable',
      severity: 'error',
      message: `variable "${name}" is used but not declared`,
      fix: `Declare "${name}" in the input schema, or fix its spelling in the template.`,
      ...(span ? { span } : {}),
    });
  }
  return clamp(score);
}

function undeclaredVariables(prompt: LintablePrompt, findings: LintFinding[]): string[] {
  if (!prompt.declaredVariables) return [];
  try {
    const { variables } = collectTemplateReferences(prompt.text);
    return [...variables].filter((v) => !prompt.declaredVariables?.includes(v));
  } catch (cause) {
    findings.push({
      rule: 'template-syntax',
      severity: 'error',
      message: `template is not valid Handlebars: ${(cause as Error).message.split('\n')[0] ?? ''}`,
      fix: 'Close every {{#block}} with its {{/block}} and balance the braces.',
    });
    return [];
  }
}

function spanOf(text: string, needle: string): { start: number; end: number } | undefined {
  const start = text.indexOf(needle);
  return start < 0 ? undefined : { start, end: start + needle.length };
}

function examples(s: PromptSignals, findings: LintFinding[]): number {
  const labelled = [...s.labels.values()].reduce((a, b) => a + b, 0);
  const count = Math.max(labelled, s.exampleMarkers);
  if (count === 0) {
    findings.push({
      rule: 'no-examples',
      severity: 'info',
      message: 'no examples',
      fix: "Add one to three short input → output examples ('Example:' / '示例:') in the exact output format.",
    });
    return 30;
  }
  let score = count === 1 ? 85 : count <= 8 ? 100 : 75;
  if (count > 8) {
    findings.push({
      rule: 'many-examples',
      severity: 'info',
      message: `${count} examples: past a handful they cost tokens more than they teach`,
      fix: 'Keep the 3-8 most typical examples, or select them per input (few-shot selector).',
    });
  }
  const counts = [...s.labels.values()];
  const [most, least] = [Math.max(...counts), Math.min(...counts)];
  if (counts.length > 1 && most >= 3 * least) {
    score -= 25;
    findings.push({
      rule: 'label-imbalance',
      severity: 'warning',
      message: `example labels are unbalanced (${[...s.labels].map(([l, n]) => `${l}: ${n}`).join(', ')})`,
      fix: 'Give each label about the same number of examples, so the model does not learn the majority label.',
    });
  }
  return clamp(score);
}

function constraints(prompt: LintablePrompt, s: PromptSignals, findings: LintFinding[]): number {
  const formatStated = s.outputFormat !== undefined || prompt.hasOutputSchema === true;
  if (!formatStated) {
    findings.push({
      rule: 'no-output-format',
      severity: 'warning',
      message: 'the output format is not stated',
      fix: "State the output format, e.g. 'Reply as JSON with keys …', 'a list of 5 bullets', '3 sentences' (用 JSON / 列表 / 3 句话).",
    });
  }
  if (!s.lengthLimit) {
    findings.push({
      rule: 'no-length-limit',
      severity: 'info',
      message: 'no length limit',
      fix: "Bound the answer, e.g. 'at most 100 words' or '不超过 200 字'.",
    });
  }
  if (s.rules === 0) {
    findings.push({
      rule: 'no-rules',
      severity: 'info',
      message: 'no explicit rules (must / do not)',
      fix: "Say what the answer must and must not do, e.g. 'Do not invent facts' (必须 / 不要).",
    });
  }
  if (!s.audienceOrTone) {
    findings.push({
      rule: 'no-audience',
      severity: 'info',
      message: 'no audience or tone',
      fix: "Name the reader and tone, e.g. 'for new customers, in a friendly tone' (面向…, 语气…).",
    });
  }
  return clamp((formatStated ? 40 : 0) + (s.lengthLimit ? 20 : 0) + Math.min(2, s.rules) * 10 + (s.audienceOrTone ? 20 : 0));
}
