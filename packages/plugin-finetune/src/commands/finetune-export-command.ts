import { resolve } from 'node:path';
import { Command, Flags } from '@oclif/core';
import { exportCheckpointAdapter } from '../run/run-finetune.js';
import { readFinetuneConfigFile } from './read-config-file.js';

export class FinetuneExportCommand extends Command {
  static override description = "Export a training checkpoint's LoRA factors as a PEFT adapter folder (adapter_config.json + adapter_model.safetensors)";
  static override examples = ['<%= config.bin %> finetune export --config finetune.json --out adapter-step-200'];
  static override flags = {
    config: Flags.string({ char: 'c', description: 'run config (JSON)', required: true }),
    checkpoint: Flags.string({ description: 'checkpoint file; default the newest in outputDir/checkpoints' }),
    out: Flags.string({ description: 'adapter folder to write', required: true }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(FinetuneExportCommand);
    const { config, baseDir } = await readFinetuneConfigFile(flags.config);
    const { checkpoint, step } = await exportCheckpointAdapter(config, { baseDir, outDir: resolve(flags.out), ...(flags.checkpoint ? { checkpoint: resolve(flags.checkpoint) } : {}) });
    this.log(`adapter of step ${step} (${checkpoint}) written to ${resolve(flags.out)}`);
  }
}
