import { Command, Flags } from '@oclif/core';
import { formatClassificationReport } from '../eval/classification-report.js';
import { runFinetune } from '../run/run-finetune.js';
import { renderTrainingProgress } from '../train/training-events.js';
import { readFinetuneConfigFile } from './read-config-file.js';

export class FinetuneTrainCommand extends Command {
  static override description = 'Fine-tune a Llama-family model (LoRA, QLoRA or full) from a JSON config; writes the adapter or model, checkpoints, loss curve and evaluation to outputDir';
  static override examples = ['<%= config.bin %> finetune train --config finetune.json'];
  static override flags = {
    config: Flags.string({ char: 'c', description: 'run config (JSON, validated by finetuneConfigSchema)', required: true }),
    resume: Flags.boolean({ description: 'continue from the newest checkpoint in outputDir/checkpoints' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(FinetuneTrainCommand);
    const { config, baseDir } = await readFinetuneConfigFile(flags.config);
    const run = { ...config, training: { ...config.training, resume: flags.resume || config.training.resume } };
    const result = await runFinetune(run, { baseDir, onEvent: renderTrainingProgress() });
    this.log(formatClassificationReport(result.evaluation.report));
    this.log(`validation loss ${result.evaluation.loss.toFixed(4)}`);
    this.log(`${config.mode === 'full' ? 'model' : 'adapter'}: ${result.output}`);
  }
}
