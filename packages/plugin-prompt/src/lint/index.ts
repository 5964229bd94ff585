export { lintPrompt, type LintablePrompt } from './lint-prompt.js';
export { LINT_WEIGHTS } from './lint-result.js';
export type { LintDimension, LintFinding, LintSeverity, LintSubscores, PromptLintResult } from './lint-result.js';
export { findVagueWords, VAGUE_WORDS_EN, VAGUE_WORDS_ZH, type VagueHit } from './vague-words.js';
export { lintablePromptFile } from './lintable-prompt-file.js';
