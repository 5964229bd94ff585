import { resolve } from 'node:path';
import { Command, Flags } from '@oclif/core';
import { mergeAdapterIntoModel } from '../run/run-finetune.js';

export class FinetuneMergeCommand extends Command {
  static override description = 'Fold a LoRA adapter into its base model and save a Hugging Face model folder (f32 safetensors)';
  static override examples = ['<%= config.bin %> finetune merge --model ./models/tiny --adapter out/adapter --out merged'];
  static override flags = {
    model: Flags.string({ description: 'base model folder (or llama:<folder>)', required: true }),
    adapter: Flags.string({ description: 'PEFT adapter folder', required: true }),
    out: Flags.string({ description: 'folder for the merged model', required: true }),
    tokenizer: Flags.option({ description: "'bytes' for byte-level models without tokenizer.json", options: ['model', 'bytes'] as const, default: 'model' })(),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(FinetuneMergeCommand);
    const out = await mergeAdapterIntoModel({ model: flags.model, tokenizer: flags.tokenizer }, { baseDir: process.cwd(), adapter: resolve(flags.adapter), outDir: resolve(flags.out) });
    this.log(`merged model: ${out}`);
  }
}
