import { join, resolve } from 'node:path';
import { Command, Flags } from '@oclif/core';
import { formatClassificationReport } from '../eval/classification-report.js';
import { evaluateFinetune } from '../run/run-finetune.js';
import { readFinetuneConfigFile } from './read-config-file.js';

export class FinetuneEvalCommand extends Command {
  static override description = "Evaluate the config's model (with --adapter, base + adapter) on its validation rows by label scoring";
  static override examples = ['<%= config.bin %> finetune eval --config finetune.json --adapter out/adapter'];
  static override flags = {
    config: Flags.string({ char: 'c', description: 'run config (JSON)', required: true }),
    adapter: Flags.string({ description: 'PEFT adapter folder to apply to the base' }),
    out: Flags.string({ description: 'where report.txt, metrics.json, confusion-matrix.svg and review-sample.md go; default outputDir/eval-<time>' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(FinetuneEvalCommand);
    const { config, baseDir } = await readFinetuneConfigFile(flags.config);
    const outDir = flags.out ? resolve(flags.out) : join(resolve(baseDir, config.outputDir), `eval-${Date.now()}`);
    const evaluation = await evaluateFinetune(config, { baseDir, outDir, ...(flags.adapter ? { adapter: resolve(flags.adapter) } : {}) });
    this.log(formatClassificationReport(evaluation.report));
    this.log(`validation loss ${evaluation.loss.toFixed(4)}; files in ${outDir}`);
  }
}
