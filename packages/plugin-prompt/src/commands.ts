import { PromptEvalCommand } from './commands/prompt-eval-command.js';
import { PromptGuardCommand } from './commands/prompt-guard-command.js';
import { PromptLintCommand } from './commands/prompt-lint-command.js';

/** oclif's explicit command discovery reads this map (package.json oclif.commands). */
export const COMMANDS = {
  'prompt:lint': PromptLintCommand,
  'prompt:guard': PromptGuardCommand,
  'prompt:eval': PromptEvalCommand,
};
