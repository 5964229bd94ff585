import { z } from 'zod';
import { fromZodError } from '../../errors/ferry-error.js';
import type { ClassificationResult, Classifier, LabelScore, ModelMetadata } from '../../models/model-types.js';
import { isCjk, normalizeText, tokenize } from './tokenize.js';

export const keywordClassifierOptionsSchema = z.strictObject({
  /** Label -> keywords or phrases that signal it, e.g. `{ refund: ['refund', 'money back', '退款'] }`. */
  rules: z
    .record(z.string().trim().min(1, 'labels must be non-empty'), z.array(z.string().trim().min(1, 'keywords must be non-empty')).min(1, 'give each label at least one keyword'))
    .refine((rules) => Object.keys(rules).length > 0, 'give at least one label with its keywords'),
  /** Label for texts that match no keyword. */
  fallback: z.string().trim().min(1).default('unknown'),
});

export type KeywordClassifierOptions = z.input<typeof keywordClassifierOptionsSchema>;

export const KEYWORD_CLASSIFIER_METADATA: ModelMetadata = {
  provider: 'offline',
  model: 'keyword',
  ref: 'offline:keyword',
  task: 'classification',
  neural: false,
  description: 'Keyword rules: scores labels by keyword hits in the text; rule-based, not a neural model',
};

/**
 * Keywords in space-separated scripts match as whole-word sequences, so
 * `card` misses `cardinal`; CJK keywords match as substrings, because
 * dictionary segmentation may cut the same word differently in context.
 */
type Matcher = { words: string[] } | { substring: string };

/**
 * Rule-based classifier: counts keyword and phrase hits per label
 * (case- and width-insensitive, whole words, CJK by substring); a label's
 * score is its share of all hits. A text with no hit goes to `fallback`
 * with score 1. Transparent and predictable, not a neural model.
 */
export class KeywordClassifier implements Classifier {
  readonly metadata: ModelMetadata = KEYWORD_CLASSIFIER_METADATA;

  readonly labels: readonly string[];
  private readonly fallback: string;
  private readonly rules: Array<{ label: string; matchers: Matcher[] }>;

  constructor(options: KeywordClassifierOptions) {
    const parsed = keywordClassifierOptionsSchema.safeParse(options);
    if (!parsed.success) {
      throw fromZodError('INPUT_INVALID', parsed.error, { what: 'offline:keyword options', fieldPrefix: 'options' });
    }
    this.fallback = parsed.data.fallback;
    this.rules = Object.entries(parsed.data.rules).map(([label, keywords]) => ({ label, matchers: keywords.map(toMatcher) }));
    const ruleLabels = this.rules.map((rule) => rule.label);
    this.labels = ruleLabels.includes(this.fallback) ? ruleLabels : [...ruleLabels, this.fallback];
  }

  async classify(texts: string[], options?: { signal?: AbortSignal }): Promise<ClassificationResult[]> {
    return texts.map((text) => {
      options?.signal?.throwIfAborted();
      return this.classifyOne(text);
    });
  }

  private classifyOne(text: string): ClassificationResult {
    const normalized = normalizeText(text);
    const tokens = tokenize(text);
    const hits = new Map(this.labels.map((label) => [label, 0]));
    for (const { label, matchers } of this.rules) {
      const count = matchers.reduce((sum, matcher) => sum + countMatches(matcher, tokens, normalized), 0);
      hits.set(label, (hits.get(label) ?? 0) + count);
    }
    const total = [...hits.values()].reduce((sum, n) => sum + n, 0);
    const ranking: LabelScore[] = this.labels
      .map((label) => ({
        label,
        score: total === 0 ? (label === this.fallback ? 1 : 0) : (hits.get(label) ?? 0) / total,
      }))
      // Stable sort: equal scores keep rule order, so ties resolve the same way every time.
      .sort((a, b) => b.score - a.score);
    const best = ranking[0] as LabelScore;
    return { label: best.label, score: best.score, ranking };
  }
}

function toMatcher(keyword: string): Matcher {
  return isCjk(keyword) ? { substring: normalizeText(keyword) } : { words: tokenize(keyword) };
}

function countMatches(matcher: Matcher, tokens: readonly string[], normalized: string): number {
  if ('substring' in matcher) return normalized.split(matcher.substring).length - 1;
  const phrase = matcher.words;
  if (phrase.length === 0) return 0;
  let count = 0;
  for (let i = 0; i + phrase.length <= tokens.length; i++) {
    if (phrase.every((word, j) => tokens[i + j] === word)) count++;
  }
  return count;
}
