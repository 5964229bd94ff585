import { FinetuneEvalCommand } from './commands/finetune-eval-command.js';
import { FinetuneExportCommand } from './commands/finetune-export-command.js';
import { FinetuneMergeCommand } from './commands/finetune-merge-command.js';
import { FinetuneTrainCommand } from './commands/finetune-train-command.js';

/** oclif's explicit command discovery reads this map (package.json oclif.commands). */
export const COMMANDS = {
  'finetune:train': FinetuneTrainCommand,
  'finetune:eval': FinetuneEvalCommand,
  'finetune:merge': FinetuneMergeCommand,
  'finetune:export': FinetuneExportCommand,
};
