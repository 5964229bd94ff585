import { readFile } from 'node:fs/promises';
import { FerryError } from '@ferry/core';
import { Args, Command, Flags } from '@oclif/core';
import { lintablePromptFile } from '../lint/lintable-prompt-file.js';
import { lintPrompt, type LintablePrompt } from '../lint/lint-prompt.js';
import { LINT_WEIGHTS, type LintSubscores } from '../lint/lint-result.js';

const MARK = { error: 'FAIL', warning: 'warn', info: 'info' } as const;

export class PromptLintCommand extends Command {
  static override description =
    "Score a prompt file against the field guide's quality rubric (clarity, structure, relevance, examples, constraints) and say what to fix";
  static override examples = [
    '<%= config.bin %> prompt lint prompts/summary.prompt.md',
    '<%= config.bin %> prompt lint prompts/summary.prompt.md --json --min-score 70',
  ];
  static override args = {
    file: Args.string({ description: 'prompt file: front matter + Handlebars body, or plain text', required: true }),
  };
  static override flags = {
    json: Flags.boolean({ description: 'print the score, sub-scores and findings as JSON' }),
    'min-score': Flags.integer({ description: 'exit 1 when the score is below this (0-100), for CI', min: 0, max: 100 }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PromptLintCommand);
    const result = lintPrompt(await this.readPrompt(args.file));
    if (flags.json) {
      this.log(JSON.stringify(result, null, 2));
    } else {
      this.log(`score ${result.score}/100  ${args.file}`);
      for (const key of Object.keys(LINT_WEIGHTS) as (keyof LintSubscores)[]) {
        this.log(`  ${key.padEnd(12)} ${String(result.subscores[key]).padStart(3)}  (weight ${Math.round(LINT_WEIGHTS[key] * 100)}%)`);
      }
      for (const f of result.findings) {
        this.log(`${MARK[f.severity]}  ${f.rule.padEnd(20)} ${f.message}`);
        this.log(`      ${' '.repeat(20)} fix: ${f.fix}`);
      }
    }
    const min = flags['min-score'];
    if (min !== undefined && result.score < min) this.exit(1);
  }

  /** An unreadable file or broken front matter is a usage error: one line and the hint, not a stack trace. */
  private async readPrompt(file: string): Promise<LintablePrompt> {
    try {
      return lintablePromptFile(await readFile(file, 'utf8'), file);
    } catch (error) {
      if (error instanceof FerryError) this.error(error.message, { exit: 1, suggestions: [error.hint] });
      this.error(`cannot read ${file}: ${(error as Error).message}`, { exit: 1 });
    }
  }
}
