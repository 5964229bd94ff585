import { parsePromptFile } from '../templates/prompt-file.js';
import type { LintablePrompt } from './lint-prompt.js';

// Same opening as parsePromptFile's front matter; a file without it is linted as plain prompt text.
const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * What the linter needs from a prompt file's text: the body, and for a
 * front-matter prompt file the declared and unused variables and whether an
 * output schema is given. Throws FerryError when the front matter is invalid.
 */
export function lintablePromptFile(text: string, source = 'prompt file'): LintablePrompt {
  const match = FRONT_MATTER.exec(text);
  if (!match) return { text };
  const template = parsePromptFile(text, source);
  return {
    text: text.slice(match[0].length).trim(),
    declaredVariables: Object.keys(template.variables.shape),
    unusedVariables: template.unusedVariables,
    hasOutputSchema: template.outputSchema !== undefined,
  };
}
