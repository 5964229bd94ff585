export type LintSeverity = 'error' | 'warning' | 'info';

/** The field guide's prompt-quality rubric dimensions (清晰度, 结构化, 相关性, 示例质量, 约束明确). */
export type LintDimension = 'clarity' | 'structure' | 'relevance' | 'examples' | 'constraints';

export type LintSubscores = Record<LintDimension, number>;

export interface LintFinding {
  readonly rule: string;
  readonly severity: LintSeverity;
  readonly message: string;
  /** What to add or change, concrete enough to act on. */
  readonly fix: string;
  /** Character offsets into the linted text, for findings tied to one place. */
  readonly span?: { readonly start: number; readonly end: number };
}

export interface PromptLintResult {
  /** Weighted sum of the sub-scores, 0..100. */
  readonly score: number;
  readonly subscores: LintSubscores;
  readonly weights: LintSubscores;
  readonly findings: LintFinding[];
}

/** Weights from the field guide's rubric (表3: 30% / 25% / 20% / 15% / 10%). */
export const LINT_WEIGHTS: LintSubscores = { clarity: 0.3, structure: 0.25, relevance: 0.2, examples: 0.15, constraints: 0.1 };
